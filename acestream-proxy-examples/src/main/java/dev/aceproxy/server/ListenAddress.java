package dev.aceproxy.server;

import java.util.Objects;

/**
 * Where the server listens: a host (or every interface) and a port. Written {@code HOST:PORT};
 * an empty host, as in acexy's {@code :8080}, means every interface; an IPv6 host goes in
 * brackets ({@code [::1]:8080}).
 *
 * @param host the host name or address to bind, or empty for every interface
 * @param port the TCP port, {@code 0} for any free port
 */
public record ListenAddress(String host, int port) {

    /** The default: loopback only, port 8080, so that nothing is exposed until asked for. */
    public static final ListenAddress DEFAULT = new ListenAddress("127.0.0.1", 8080);

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code host} is null
     * @throws IllegalArgumentException if the port is outside {@code 0..65535} or the host holds
     *     spaces or slashes
     */
    public ListenAddress {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/' || c == '?' || c == '#')) {
            throw new IllegalArgumentException("\"" + host + "\" is not a host name or address");
        }
    }

    /**
     * Parses {@code HOST:PORT}, {@code :PORT} or {@code [IPV6]:PORT}.
     *
     * @param text the address
     * @return the listen address
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static ListenAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an address is required, such as 127.0.0.1:8080 or :8080");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("\"" + text + "\" has no port (expected HOST:PORT, such as :8080)");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
            if (host.isEmpty()) {
                throw new IllegalArgumentException("\"" + text + "\" has an empty IPv6 address");
            }
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("\"" + text + "\": put an IPv6 address in brackets, as in [::1]:8080");
        }
        if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("\"" + portText + "\" is not a port number (0..65535)");
        }
        return new ListenAddress(host, Integer.parseInt(portText));
    }

    /**
     * Tells whether the server binds every interface.
     *
     * @return true when the host is empty, {@code 0.0.0.0} or {@code ::}
     */
    public boolean allInterfaces() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    /**
     * Tells whether only this machine can reach the server: the host is {@code localhost}, an
     * address of {@code 127.0.0.0/8} or {@code ::1}.
     *
     * @return true for a loopback host
     */
    public boolean loopbackOnly() {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.startsWith("127.");
    }

    /**
     * Returns the host to pass to the socket bind, or null for every interface.
     *
     * @return the bind host, or null
     */
    public String bindHost() {
        return host.isEmpty() ? null : host;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
