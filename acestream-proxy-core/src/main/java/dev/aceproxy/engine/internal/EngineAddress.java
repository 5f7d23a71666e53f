package dev.aceproxy.engine.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The configured engine address, and the rules that keep every request on it: urls the engine
 * returns are rewritten to this address, and redirects are followed only when they stay on it.
 */
public final class EngineAddress {

    /** Every url the engine hands out for a session lives under this path. */
    public static final String ACE_PATH_PREFIX = "/ace/";

    private final URI base;
    private final String scheme;
    private final String rawAuthority;
    private final String host;
    private final int port;

    private EngineAddress(URI base) {
        this.base = base;
        this.scheme = base.getScheme().toLowerCase(Locale.ROOT);
        this.rawAuthority = base.getRawAuthority();
        this.host = base.getHost().toLowerCase(Locale.ROOT);
        this.port = effectivePort(scheme, base.getPort());
    }

    /**
     * Validates a configured engine address.
     *
     * @throws IllegalArgumentException if it is not an absolute http(s) url with a host and nothing
     *     after the authority but an optional {@code /}
     */
    public static EngineAddress of(URI uri) {
        if (uri == null) {
            throw new IllegalArgumentException("engine base uri is missing");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("engine base uri must be http or https: " + uri);
        }
        if (uri.isOpaque() || uri.getHost() == null) {
            throw new IllegalArgumentException("engine base uri must name a host: " + uri);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("engine base uri must not carry user info: " + uri.getHost());
        }
        String path = uri.getRawPath();
        if (!(path == null || path.isEmpty() || path.equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "engine base uri must be only scheme, host and port (as in http://127.0.0.1:6878): " + uri);
        }
        return new EngineAddress(URI.create(scheme.toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority()));
    }

    /** The configured address, as in {@code http://127.0.0.1:6878}. */
    public URI uri() {
        return base;
    }

    /** A url on the engine: {@code pathAndQuery} must start with {@code /} and be encoded already. */
    public URI resolve(String pathAndQuery) {
        return URI.create(scheme + "://" + rawAuthority + pathAndQuery);
    }

    /**
     * Rewrites a url the engine returned to this address, keeping its path and query.
     *
     * @param advertised the url as the engine wrote it
     * @return the same path and query on the configured scheme, host and port
     * @throws UnsafeUri if the url is unparsable, not http(s), has user info, a fragment, no path, a
     *     path outside {@code /ace/} or dot segments
     */
    public URI rewrite(String advertised) throws UnsafeUri {
        URI uri;
        try {
            uri = new URI(advertised);
        } catch (URISyntaxException e) {
            throw new UnsafeUri("it cannot be parsed (" + e.getReason() + ")");
        }
        String s = uri.getScheme();
        if (s == null || uri.isOpaque() || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https"))) {
            throw new UnsafeUri("it is not an absolute http or https url");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw new UnsafeUri("it names no host");
        }
        if (authority.contains("@")) {
            throw new UnsafeUri("it carries user info");
        }
        return onThisEngine(uri);
    }

    /**
     * Checks a redirect target (already resolved against the url that answered the redirect):
     * it must be on this very address and pass the same path rules as returned urls.
     *
     * @throws UnsafeUri when it must not be followed
     */
    public URI redirectTarget(URI target) throws UnsafeUri {
        String s = target.getScheme();
        if (s == null || target.isOpaque() || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https"))) {
            throw new UnsafeUri("it is not an http or https url");
        }
        if (target.getRawUserInfo() != null
                || (target.getRawAuthority() != null && target.getRawAuthority().contains("@"))) {
            throw new UnsafeUri("it carries user info");
        }
        String targetHost = target.getHost();
        if (!s.equalsIgnoreCase(scheme) || targetHost == null || !targetHost.equalsIgnoreCase(host)
                || effectivePort(s.toLowerCase(Locale.ROOT), target.getPort()) != port) {
            throw new UnsafeUri("it leaves the engine's address " + base);
        }
        return onThisEngine(target);
    }

    /**
     * Tells whether a url names this address's host and port (the port its scheme implies when it
     * has none), whatever its scheme and path.
     */
    public boolean isOnHostAndPort(URI target) {
        String targetHost = target.getHost();
        if (targetHost == null || !targetHost.equalsIgnoreCase(host)) {
            return false;
        }
        String s = target.getScheme() == null ? scheme : target.getScheme().toLowerCase(Locale.ROOT);
        return effectivePort(s, target.getPort()) == port;
    }

    private URI onThisEngine(URI uri) throws UnsafeUri {
        if (uri.getRawFragment() != null) {
            throw new UnsafeUri("it carries a fragment");
        }
        String path = uri.getRawPath();
        if (path == null || path.isEmpty()) {
            throw new UnsafeUri("it has no path");
        }
        if (!path.startsWith(ACE_PATH_PREFIX)) {
            throw new UnsafeUri("its path is not under " + ACE_PATH_PREFIX);
        }
        for (String segment : path.split("/", -1)) {
            String decoded = segment.replace("%2e", ".").replace("%2E", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                throw new UnsafeUri("its path has a dot segment");
            }
        }
        String query = uri.getRawQuery();
        return URI.create(scheme + "://" + rawAuthority + path + (query == null ? "" : "?" + query));
    }

    private static int effectivePort(String scheme, int port) {
        if (port != -1) {
            return port;
        }
        return scheme.equals("https") ? 443 : 80;
    }

    @Override
    public String toString() {
        return base.toString();
    }

    /** A url the engine gave that this client will not request; the message says why. */
    public static final class UnsafeUri extends Exception {

        private static final long serialVersionUID = 1L;

        UnsafeUri(String reason) {
            super(reason);
        }
    }
}
