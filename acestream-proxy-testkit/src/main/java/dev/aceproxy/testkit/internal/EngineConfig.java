package dev.aceproxy.testkit.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the fake engine was built with.
 *
 * @param clip the looped clip
 * @param bitsPerSecond the playback rate, positive
 * @param prebufferDelay how long a session's first playback waits before answering
 * @param initialBurst bytes of each playback sent unpaced
 * @param playbackRedirect whether playback urls answer 302 to another path
 * @param advertisedBase scheme, host and port put into returned urls, or null for the real address
 * @param version the get_version version text
 * @param versionCode the get_version code
 * @param sessionIdleTimeout how long an unread, unpolled session lives; zero for ever
 */
public record EngineConfig(TsClip clip, long bitsPerSecond, Duration prebufferDelay, long initialBurst,
                           boolean playbackRedirect, URI advertisedBase, String version, long versionCode,
                           Duration sessionIdleTimeout) {

    /**
     * Validates.
     *
     * @throws NullPointerException if a required component is null
     * @throws IllegalArgumentException if a number or duration is out of range
     */
    public EngineConfig {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(prebufferDelay, "prebufferDelay");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        if (bitsPerSecond <= 0 || initialBurst < 0 || prebufferDelay.isNegative() || sessionIdleTimeout.isNegative()) {
            throw new IllegalArgumentException("rates, sizes and durations must not be negative");
        }
    }
}
