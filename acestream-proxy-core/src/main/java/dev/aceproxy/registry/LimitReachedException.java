package dev.aceproxy.registry;

import java.io.Serial;
import java.time.Duration;
import java.util.Objects;

/** A subscriber was turned away because a {@link Limits} limit is reached; try again after {@link #retryAfter()}. */
public final class LimitReachedException extends SubscriptionRefusedException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Which limit was reached. */
    public enum Limit {
        /** {@link Limits#maxSessions()}. */
        SESSIONS,
        /** {@link Limits#maxClientsPerSession()}. */
        CLIENTS_PER_SESSION,
        /** {@link Limits#maxClients()}. */
        CLIENTS,
        /** {@link Limits#maxSessionsPerEngine()}: every healthy engine serves its maximum. */
        SESSIONS_PER_ENGINE,
        /** {@link Limits#maxNewSessionsPerAddress()}: the client's address started enough lately. */
        NEW_SESSIONS_PER_ADDRESS
    }

    /** The limit that was reached. */
    private final Limit limit;
    /** When trying again may succeed. */
    private final Duration retryAfter;

    /**
     * Creates the exception.
     *
     * @param limit the limit reached
     * @param retryAfter when trying again may succeed
     * @param message what was refused
     * @throws NullPointerException if {@code limit} or {@code retryAfter} is null
     */
    public LimitReachedException(Limit limit, Duration retryAfter, String message) {
        super(message);
        this.limit = Objects.requireNonNull(limit, "limit");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /**
     * The limit that was reached.
     *
     * @return the limit
     */
    public Limit limit() {
        return limit;
    }

    /**
     * The hint for when to try again ({@link Limits#retryAfter()}).
     *
     * @return the hint
     */
    public Duration retryAfter() {
        return retryAfter;
    }
}
