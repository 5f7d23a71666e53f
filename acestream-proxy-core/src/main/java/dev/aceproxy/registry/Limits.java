package dev.aceproxy.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * Capacity limits; a subscriber beyond one of them is rejected with a
 * {@link LimitReachedException} carrying {@code retryAfter}, and nothing running is affected.
 * Zero means no limit.
 *
 * @param maxSessions sessions at once (lingering ones included: a lingering session is ended
 *     early to make room for a new one)
 * @param maxClientsPerSession clients of one session
 * @param maxClients clients of all sessions together
 * @param retryAfter the hint given with a rejection
 */
public record Limits(int maxSessions, int maxClientsPerSession, int maxClients, Duration retryAfter) {

    /** Default retry-after hint: 5 s. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    /** No limit at all. */
    public static final Limits UNLIMITED = new Limits(0, 0, 0, DEFAULT_RETRY_AFTER);

    /**
     * Default bound on sessions: {@value}. A home proxy rarely plays more than a few contents at
     * once, and every session is an engine session joining a swarm, with its fast-start window
     * in memory.
     */
    public static final int DEFAULT_MAX_SESSIONS = 8;
    /** Default bound on clients of all sessions together: {@value}. */
    public static final int DEFAULT_MAX_CLIENTS = 64;

    /**
     * The default limits: {@value #DEFAULT_MAX_SESSIONS} sessions, {@value #DEFAULT_MAX_CLIENTS}
     * clients, no bound per session. Safe for a proxy exposed by mistake; raise them (or use
     * {@link #UNLIMITED}) for a larger deployment.
     */
    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_SESSIONS, 0, DEFAULT_MAX_CLIENTS, DEFAULT_RETRY_AFTER);

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code retryAfter} is null
     * @throws IllegalArgumentException if a limit or {@code retryAfter} is negative
     */
    public Limits {
        if (maxSessions < 0 || maxClientsPerSession < 0 || maxClients < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + maxSessions + ", "
                    + maxClientsPerSession + ", " + maxClients);
        }
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
    }
}
