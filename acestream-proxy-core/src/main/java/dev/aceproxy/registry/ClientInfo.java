package dev.aceproxy.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * What the registry may show about a client in its status; it plays no part in streaming.
 *
 * @param remoteAddress the client's address as the adapter saw it, if known
 * @param userAgent the client's user agent, if known
 */
public record ClientInfo(Optional<String> remoteAddress, Optional<String> userAgent) {

    private static final ClientInfo ANONYMOUS = new ClientInfo(Optional.empty(), Optional.empty());

    /**
     * Validates.
     *
     * @throws NullPointerException if an argument is null
     */
    public ClientInfo {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(userAgent, "userAgent");
    }

    /**
     * A client the registry knows nothing about.
     *
     * @return the anonymous client info
     */
    public static ClientInfo anonymous() {
        return ANONYMOUS;
    }

    /**
     * A client with the given address and user agent, either of which may be null.
     *
     * @param remoteAddress the address, or null
     * @param userAgent the user agent, or null
     * @return the client info
     */
    public static ClientInfo of(String remoteAddress, String userAgent) {
        return new ClientInfo(Optional.ofNullable(remoteAddress), Optional.ofNullable(userAgent));
    }
}
