package dev.aceproxy.registry;

import dev.aceproxy.engine.ContentId;
import java.net.URI;
import java.time.Duration;

/**
 * Observes the registry. Every method has an empty default; implementations must be fast and
 * must not block (they run on the registry's own threads, sometimes while a session changes
 * state). An exception thrown by a method is logged and otherwise ignored.
 */
public interface StreamListener {

    /** A listener that ignores everything. */
    StreamListener NONE = new StreamListener() { };

    /**
     * A session changed state.
     *
     * @param sessionKey the session's key
     * @param content the content the session plays
     * @param from the previous state
     * @param to the new state
     * @param reason why, in a few words
     */
    default void sessionStateChanged(String sessionKey, ContentId content, SessionState from, SessionState to,
                                     String reason) {
    }

    /**
     * A client joined a session.
     *
     * @param sessionKey the session's key
     * @param clientId the client's id
     */
    default void clientJoined(String sessionKey, long clientId) {
    }

    /**
     * A client's stream ended. Called before the client's {@link Subscription#ended()} completes,
     * so whoever waits on that future sees a listener that already knows.
     *
     * @param sessionKey the session's key
     * @param clientId the client's id
     * @param end why
     */
    default void clientLeft(String sessionKey, long clientId, StreamEnd end) {
    }

    /**
     * The recovery ladder is about to try again after a backoff.
     *
     * @param sessionKey the session's key
     * @param rung {@code reconnect}, {@code new-session} or {@code failover}
     * @param attempt the attempt number on that rung, from 1
     * @param backoff the wait before the attempt
     */
    default void recovering(String sessionKey, String rung, int attempt, Duration backoff) {
    }

    /**
     * A channel's session moved to another alternate content.
     *
     * @param sessionKey the session's key
     * @param from the content given up
     * @param to the content tried next
     */
    default void failover(String sessionKey, ContentId from, ContentId to) {
    }

    /**
     * An engine of the pool was taken out (failed probes) or came back.
     *
     * @param engine the engine's base uri
     * @param healthy whether it now takes new sessions
     */
    default void engineHealthChanged(URI engine, boolean healthy) {
    }
}
