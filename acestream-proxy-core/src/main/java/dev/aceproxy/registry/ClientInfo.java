package dev.aceproxy.registry;

import dev.aceproxy.internal.PrintableText;
import java.util.Objects;
import java.util.Optional;

/**
 * What the registry may show about a client in its status; it plays no part in streaming. Both
 * texts come from the client, so they are cleaned when they arrive: control and format characters
 * become spaces, and they are cut to {@value #MAX_TEXT} characters (marked with {@code "..."}).
 *
 * @param remoteAddress the client's address as the adapter saw it, if known
 * @param userAgent the client's user agent, if known
 */
public record ClientInfo(Optional<String> remoteAddress, Optional<String> userAgent) {

    /** The longest address or user agent kept. */
    public static final int MAX_TEXT = 256;

    private static final ClientInfo ANONYMOUS = new ClientInfo(Optional.empty(), Optional.empty());

    /**
     * Validates, cleans and caps.
     *
     * @throws NullPointerException if an argument is null
     */
    public ClientInfo {
        remoteAddress = Objects.requireNonNull(remoteAddress, "remoteAddress").map(t -> PrintableText.clean(t, MAX_TEXT));
        userAgent = Objects.requireNonNull(userAgent, "userAgent").map(t -> PrintableText.clean(t, MAX_TEXT));
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
