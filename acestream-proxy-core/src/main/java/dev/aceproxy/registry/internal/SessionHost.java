package dev.aceproxy.registry.internal;

import java.io.IOException;

/**
 * What a {@link Session} tells the table that holds it: the three events that change the table.
 * Everything else a session reports goes to {@link ContentClaims} and {@link RegistryTotals}
 * directly.
 */
interface SessionHost {

    /**
     * The session's upstream failed for good (or it gave way to a session of its infohash): the
     * table ends it and removes it.
     *
     * @param session the session
     * @param failure why
     */
    void failed(Session session, IOException failure);

    /**
     * The session's linger may have run out: the table ends it if it still has no player.
     *
     * @param session the session
     */
    void lingerExpired(Session session);

    /**
     * The session's teardown ended: it owns nothing any more.
     *
     * @param session the session
     * @param bytesIn what it read from the engine in its life
     */
    void tornDown(Session session, long bytesIn);
}
