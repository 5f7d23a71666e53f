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
 * @param maxSessionsPerEngine sessions one engine serves at once; a new session is refused when
 *     every healthy engine serves this many
 * @param maxNewSessionsPerAddress new sessions one client address may start within a minute (a
 *     client that asks for a different content each time and leaves at once would otherwise make
 *     the engine join swarm after swarm); behind a reverse proxy every player has its address
 */
public record Limits(int maxSessions, int maxClientsPerSession, int maxClients, Duration retryAfter,
                     int maxSessionsPerEngine, int maxNewSessionsPerAddress) {

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
    /** Default bound on sessions of one engine: {@value}. */
    public static final int DEFAULT_MAX_SESSIONS_PER_ENGINE = 8;
    /** Default bound on new sessions one address starts within a minute: {@value}. */
    public static final int DEFAULT_MAX_NEW_SESSIONS_PER_ADDRESS = 60;

    /**
     * The default limits: {@value #DEFAULT_MAX_SESSIONS} sessions, {@value #DEFAULT_MAX_CLIENTS}
     * clients, {@value #DEFAULT_MAX_SESSIONS_PER_ENGINE} sessions per engine,
     * {@value #DEFAULT_MAX_NEW_SESSIONS_PER_ADDRESS} new sessions per address and minute, no bound
     * per session. Safe for a proxy exposed by mistake; raise them (or use {@link #UNLIMITED}) for
     * a larger deployment.
     */
    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_SESSIONS, 0, DEFAULT_MAX_CLIENTS, DEFAULT_RETRY_AFTER,
            DEFAULT_MAX_SESSIONS_PER_ENGINE, DEFAULT_MAX_NEW_SESSIONS_PER_ADDRESS);

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code retryAfter} is null
     * @throws IllegalArgumentException if a limit or {@code retryAfter} is negative
     */
    public Limits {
        if (maxSessions < 0 || maxClientsPerSession < 0 || maxClients < 0 || maxSessionsPerEngine < 0
                || maxNewSessionsPerAddress < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + maxSessions + ", "
                    + maxClientsPerSession + ", " + maxClients + ", " + maxSessionsPerEngine + ", "
                    + maxNewSessionsPerAddress);
        }
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
    }

    /**
     * Limits with no bound per engine nor per address.
     *
     * @param maxSessions sessions at once
     * @param maxClientsPerSession clients of one session
     * @param maxClients clients of all sessions together
     * @param retryAfter the hint given with a rejection
     * @throws NullPointerException if {@code retryAfter} is null
     * @throws IllegalArgumentException if a limit or {@code retryAfter} is negative
     */
    public Limits(int maxSessions, int maxClientsPerSession, int maxClients, Duration retryAfter) {
        this(maxSessions, maxClientsPerSession, maxClients, retryAfter, 0, 0);
    }

    /**
     * Returns these limits with another bound on sessions per engine.
     *
     * @param max sessions one engine serves at once, 0 for no bound
     * @return the new limits
     */
    public Limits withMaxSessionsPerEngine(int max) {
        return new Limits(maxSessions, maxClientsPerSession, maxClients, retryAfter, max, maxNewSessionsPerAddress);
    }

    /**
     * Returns these limits with another bound on new sessions per address and minute.
     *
     * @param max new sessions one address may start within a minute, 0 for no bound
     * @return the new limits
     */
    public Limits withMaxNewSessionsPerAddress(int max) {
        return new Limits(maxSessions, maxClientsPerSession, maxClients, retryAfter, maxSessionsPerEngine, max);
    }
}
