package dev.aceproxy.registry;

import java.io.Serial;
import java.time.Duration;
import java.util.Objects;

/**
 * A subscriber was turned away because the registry is draining ({@link StreamRegistry#startDraining()}):
 * it starts no new session, so a load balancer should send the player to another instance. Try
 * this instance again after {@link #retryAfter()} at the earliest.
 */
public final class DrainingException extends SubscriptionRefusedException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** When trying again may succeed. */
    private final Duration retryAfter;

    /**
     * Creates the exception.
     *
     * @param retryAfter when trying again may succeed
     * @param message what was refused
     * @throws NullPointerException if {@code retryAfter} is null
     */
    public DrainingException(Duration retryAfter, String message) {
        super(message);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
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
