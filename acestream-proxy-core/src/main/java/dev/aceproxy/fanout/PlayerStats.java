package dev.aceproxy.fanout;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one client's writer.
 *
 * @param id the writer's id, unique within its fan-out
 * @param connectedSince when the writer was added
 * @param bytesWritten bytes the sink accepted
 * @param bytesQueued bytes waiting in the queue (including a chunk being written)
 * @param chunksSkipped chunks dropped by {@link OverflowPolicy#SKIP_TO_LIVE}
 * @param bytesSkipped bytes dropped by {@link OverflowPolicy#SKIP_TO_LIVE}
 * @param endReason why the writer ended or is ending; empty while it runs
 */
public record PlayerStats(long id, Instant connectedSince, long bytesWritten, long bytesQueued,
                          long chunksSkipped, long bytesSkipped, Optional<EndReason> endReason) {

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code connectedSince} or {@code endReason} is null
     */
    public PlayerStats {
        Objects.requireNonNull(connectedSince, "connectedSince");
        Objects.requireNonNull(endReason, "endReason");
    }
}
