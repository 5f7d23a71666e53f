package dev.aceproxy.registry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One client in a {@link SessionStatus}.
 *
 * @param id the client's id ({@link Subscription#clientId()})
 * @param remoteAddress the address given at subscription
 * @param userAgent the user agent given at subscription
 * @param connectedSince when the client joined
 * @param bytesSent bytes written to the client's sink
 * @param queuedBytes bytes waiting in the client's queue
 * @param skippedBytes bytes dropped for this client (skip-to-live)
 * @param chunksSkipped chunks dropped for this client
 */
public record ClientStatus(long id, Optional<String> remoteAddress, Optional<String> userAgent,
                           Instant connectedSince, long bytesSent, long queuedBytes, long skippedBytes,
                           long chunksSkipped) {

    /**
     * Validates.
     *
     * @throws NullPointerException if an object argument is null
     */
    public ClientStatus {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(connectedSince, "connectedSince");
    }
}
