package dev.aceproxy.registry;

import java.time.Duration;

/**
 * How the registry watches its engines: each is probed ({@code get_version}) every
 * {@code probeInterval}; after {@code failuresBeforeRemoval} failed probes in a row it gets no
 * new session until a probe succeeds again.
 *
 * @param probeInterval time between two probes of an engine
 * @param failuresBeforeRemoval consecutive failures that take an engine out; at least 1
 */
public record EnginePoolPolicy(Duration probeInterval, int failuresBeforeRemoval) {

    /** Default probe interval: 10 s. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(10);
    /** Default failures before removal: 3. */
    public static final int DEFAULT_FAILURES_BEFORE_REMOVAL = 3;
    /** All defaults: a probe every 10 s, out after 3 failures. */
    public static final EnginePoolPolicy DEFAULT =
            new EnginePoolPolicy(DEFAULT_PROBE_INTERVAL, DEFAULT_FAILURES_BEFORE_REMOVAL);

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code probeInterval} is null
     * @throws IllegalArgumentException if {@code probeInterval} is not positive or
     *     {@code failuresBeforeRemoval} is below 1
     */
    public EnginePoolPolicy {
        SessionPolicy.positive(probeInterval, "probeInterval");
        if (failuresBeforeRemoval < 1) {
            throw new IllegalArgumentException("failuresBeforeRemoval must be at least 1: " + failuresBeforeRemoval);
        }
    }
}
