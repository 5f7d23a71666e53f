package dev.aceproxy.registry;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.fanout.PlayerStats;
import java.util.concurrent.CompletableFuture;

/**
 * One client's place in a session, returned by {@link StreamRegistry#subscribe}. The client's
 * sink receives the stream from its own writer thread until the stream ends, for any reason;
 * {@link #ended()} then completes. Thread-safe.
 */
public interface Subscription extends AutoCloseable {

    /**
     * The client's id, unique within the registry.
     *
     * @return the id
     */
    long clientId();

    /**
     * The key of the session the client belongs to (the content, or the channel's name).
     *
     * @return the session key
     */
    String sessionKey();

    /**
     * The content currently played; changes when a channel fails over to an alternate.
     *
     * @return the content
     */
    ContentId content();

    /**
     * Completes once this client's stream is over (the sink is closed by then), for any reason.
     *
     * @return a future that never completes exceptionally
     */
    CompletableFuture<StreamEnd> ended();

    /**
     * This client's writer statistics.
     *
     * @return a snapshot
     */
    PlayerStats stats();

    /** Leaves the session (idempotent); {@link #ended()} then completes. */
    @Override
    void close();
}
