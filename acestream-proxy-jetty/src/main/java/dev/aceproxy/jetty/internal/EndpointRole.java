package dev.aceproxy.jetty.internal;

/**
 * Who an endpoint is for, which decides the token it needs: nobody's ({@link #OPEN}), the
 * player token's ({@link #PLAYER}) or the admin token's ({@link #ADMIN}).
 */
public enum EndpointRole {
    /**
     * Needs no token and is not guarded: the health, liveness and readiness probes, and the
     * status page's files (which hold no data: the page asks {@code /api/v1/streams}, an admin
     * path, for it).
     */
    OPEN,
    /** Streams and playlists, and every path not named below. */
    PLAYER,
    /** Status and metrics: they show addresses, user agents and the engine's address. */
    ADMIN;

    /**
     * Classifies a path inside the context. Unknown paths are player paths, so that they need a
     * token whenever a token is set.
     *
     * @param path the path inside the context, such as {@code /api/v1/streams}
     * @return the role
     */
    public static EndpointRole of(String path) {
        if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")
                || path.equals("/") || path.equals("/status/app.js") || path.equals("/status/app.css")) {
            return OPEN;
        }
        if (path.startsWith("/api/") || path.equals("/api") || path.equals("/metrics") || path.equals("/metrics/")
                || path.equals("/ace/status") || path.equals("/ace/status/")) {
            return ADMIN;
        }
        return PLAYER;
    }
}
