package dev.aceproxy.jetty.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps web pages away from endpoints that have no token: a page the user opens could otherwise
 * start streams through {@code <video src>} or, after rebinding its DNS name to this address,
 * read the status. A request passes only when its {@code Host} is a name the server listens as,
 * it does not say {@code Sec-Fetch-Site: cross-site}, and its {@code Origin}, if any, is such a
 * name too. Players and media servers send neither header and address the server by a name it
 * listens as, so they pass. Thread-safe.
 */
public final class HostGuard {

    private final Set<String> allowedHosts;

    /**
     * Creates the guard.
     *
     * @param allowedHosts normalised host names besides the loopback ones (lower case, IPv6
     *     without brackets)
     */
    public HostGuard(Set<String> allowedHosts) {
        this.allowedHosts = Set.copyOf(allowedHosts);
    }

    /**
     * Checks a request.
     *
     * @param request the request
     * @return the problem to answer with, or empty when the request may pass
     */
    public Optional<HttpProblem> check(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host != null && !allowed(hostOf(host))) {
            return Optional.of(HttpProblem.of(403, "host_not_allowed",
                    "this server does not answer to that host name without an access token; "
                            + "add it with --allowed-hosts or set an access token"));
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && site.strip().equalsIgnoreCase("cross-site")) {
            return Optional.of(HttpProblem.of(403, "cross_site_request",
                    "requests from other web sites are refused without an access token"));
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !allowed(originHost(origin))) {
            return Optional.of(HttpProblem.of(403, "cross_site_request",
                    "requests from other web sites are refused without an access token"));
        }
        return Optional.empty();
    }

    /**
     * Tells whether a host name, as normalised, is loopback or one of the allowed names.
     *
     * @param host the name, or null when none could be read
     * @return true if requests may address it
     */
    boolean allowed(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        return isLoopback(host) || allowedHosts.contains(host);
    }

    static boolean isLoopback(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the host out of a {@code Host} header: without the port, IPv6 without brackets, lower
     * case, no trailing dot.
     *
     * @param header the header's value
     * @return the host, or null if the header cannot be read
     */
    static String hostOf(String header) {
        String h = header.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            if (close < 0 || (close + 1 < h.length() && h.charAt(close + 1) != ':')) {
                return null;
            }
            return h.substring(1, close);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            if (colon != h.lastIndexOf(':')) {
                return null;
            }
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    private static String originHost(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String host = uri.getHost();
            if (host == null || uri.getScheme() == null) {
                return null;
            }
            return hostOf(host.startsWith("[") ? host : host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
