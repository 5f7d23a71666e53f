package dev.aceproxy.registry;

import dev.aceproxy.fanout.EndReason;
import java.util.Objects;
import java.util.Optional;

/**
 * Why one client's stream ended.
 *
 * @param reason the fan-out's reason (client closed, overflow, stream failed, shutdown, ...)
 * @param detail a human-readable explanation when the registry knows one (for example the
 *     failure that exhausted the recovery ladder)
 */
public record StreamEnd(EndReason reason, Optional<String> detail) {

    /**
     * Validates.
     *
     * @throws NullPointerException if an argument is null
     */
    public StreamEnd {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * An end without detail.
     *
     * @param reason why the stream ended
     * @return the end
     * @throws NullPointerException if {@code reason} is null
     */
    public static StreamEnd of(EndReason reason) {
        return new StreamEnd(reason, Optional.empty());
    }
}
