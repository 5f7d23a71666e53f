package dev.aceproxy.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of one session's lifecycle.
 *
 * @param startTimeout how long a new session may take to deliver its first data (a cold engine
 *     prebuffers 10–25 s); past it the waiting subscribers get an engine timeout
 * @param noDataTimeout how long the upstream may stay silent before the session recovers
 * @param linger how long a session stays after its last client left
 * @param statsInterval how often the engine's stat url is polled while the session has clients
 * @param keepaliveAfter how long without upstream data before clients get null packets
 * @param keepaliveInterval how often null packets are sent while the upstream is silent
 */
public record SessionPolicy(Duration startTimeout, Duration noDataTimeout, Duration linger,
                            Duration statsInterval, Duration keepaliveAfter, Duration keepaliveInterval) {

    /** Default start timeout: 30 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /** Default no-data timeout: 15 s. */
    public static final Duration DEFAULT_NO_DATA_TIMEOUT = Duration.ofSeconds(15);
    /** Default linger: 10 s. */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(10);
    /** Default stats interval: 5 s. */
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(5);
    /** Default silence before keepalive: 1 s. */
    public static final Duration DEFAULT_KEEPALIVE_AFTER = Duration.ofSeconds(1);
    /** Default keepalive interval: 1 s. */
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(1);

    /** All defaults: 30 s start, 15 s no data, 10 s linger, 5 s stats, keepalive after 1 s every 1 s. */
    public static final SessionPolicy DEFAULT = new SessionPolicy(DEFAULT_START_TIMEOUT, DEFAULT_NO_DATA_TIMEOUT,
            DEFAULT_LINGER, DEFAULT_STATS_INTERVAL, DEFAULT_KEEPALIVE_AFTER, DEFAULT_KEEPALIVE_INTERVAL);

    /**
     * Validates.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a duration is not positive ({@code linger} may be zero)
     */
    public SessionPolicy {
        positive(startTimeout, "startTimeout");
        positive(noDataTimeout, "noDataTimeout");
        Objects.requireNonNull(linger, "linger");
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative: " + linger);
        }
        positive(statsInterval, "statsInterval");
        positive(keepaliveAfter, "keepaliveAfter");
        positive(keepaliveInterval, "keepaliveInterval");
    }

    /**
     * A copy with another start timeout.
     *
     * @param d the start timeout
     * @return the new policy
     * @throws IllegalArgumentException if {@code d} is not positive
     */
    public SessionPolicy withStartTimeout(Duration d) {
        return new SessionPolicy(d, noDataTimeout, linger, statsInterval, keepaliveAfter, keepaliveInterval);
    }

    /**
     * A copy with another no-data timeout.
     *
     * @param d the no-data timeout
     * @return the new policy
     * @throws IllegalArgumentException if {@code d} is not positive
     */
    public SessionPolicy withNoDataTimeout(Duration d) {
        return new SessionPolicy(startTimeout, d, linger, statsInterval, keepaliveAfter, keepaliveInterval);
    }

    /**
     * A copy with another linger delay.
     *
     * @param d the linger delay
     * @return the new policy
     * @throws IllegalArgumentException if {@code d} is negative
     */
    public SessionPolicy withLinger(Duration d) {
        return new SessionPolicy(startTimeout, noDataTimeout, d, statsInterval, keepaliveAfter, keepaliveInterval);
    }

    /**
     * A copy with another stats interval.
     *
     * @param d the stats interval
     * @return the new policy
     * @throws IllegalArgumentException if {@code d} is not positive
     */
    public SessionPolicy withStatsInterval(Duration d) {
        return new SessionPolicy(startTimeout, noDataTimeout, linger, d, keepaliveAfter, keepaliveInterval);
    }

    /**
     * A copy with other keepalive timings.
     *
     * @param after silence before the first null packets
     * @param interval time between null packets
     * @return the new policy
     * @throws IllegalArgumentException if a duration is not positive
     */
    public SessionPolicy withKeepalive(Duration after, Duration interval) {
        return new SessionPolicy(startTimeout, noDataTimeout, linger, statsInterval, after, interval);
    }

    static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
