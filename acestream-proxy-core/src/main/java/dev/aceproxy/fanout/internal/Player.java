package dev.aceproxy.fanout.internal;

import dev.aceproxy.fanout.PlayerStats;
import dev.aceproxy.fanout.EndReason;
import java.util.concurrent.CompletableFuture;

/** The handle of one client in a {@link FanOut}. Thread-safe. */
public interface Player {

    /**
     * Returns the writer's id.
     *
     * @return an id unique within its fan-out
     */
    long id();

    /**
     * Returns the writer's figures now.
     *
     * @return a snapshot
     */
    PlayerStats stats();

    /**
     * Tells whether the writer still takes chunks: no end reason has been recorded.
     *
     * @return {@code true} while the writer runs
     */
    boolean isOpen();

    /**
     * Removes the client now: drops its queue and closes its sink (which unblocks a hanging
     * write). Does nothing when the writer has already ended.
     *
     * @param reason why; recorded unless another reason came first
     * @throws NullPointerException if {@code reason} is null
     */
    void close(EndReason reason);

    /**
     * Completes with the end reason once the writer's thread has finished and its sink has been
     * closed. Never completes exceptionally.
     *
     * @return the end of this writer
     */
    CompletableFuture<EndReason> ended();
}
