package dev.aceproxy.registry.internal;

import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.PlayerStats;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.registry.Totals;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry's running totals: its client count (which the limits read), and the bytes, reconnects,
 * failovers and evictions of everything that ever ran, so that a session's figures outlive it.
 * Lock-free; sessions and their clients report to it directly.
 */
public final class RegistryTotals {

    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicLong nextClientId = new AtomicLong();
    private final AtomicLong endedBytesIn = new AtomicLong();
    private final AtomicLong endedBytesOut = new AtomicLong();
    private final AtomicLong endedSkipped = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();

    /** Returns the clients that hold a place now (waiting for a start, or attached). */
    int clients() {
        return clients.get();
    }

    /** Counts places taken ({@code delta > 0}) or given back. */
    void clientCountDelta(int delta) {
        clients.addAndGet(delta);
    }

    /** Returns a new client id, unique in the registry. */
    long nextClientId() {
        return nextClientId.incrementAndGet();
    }

    /** Keeps the figures of a client that left. */
    void clientEnded(PlayerStats stats, EndReason reason) {
        endedBytesOut.addAndGet(stats.bytesWritten());
        endedSkipped.addAndGet(stats.bytesSkipped());
        if (reason == EndReason.OVERFLOW || reason == EndReason.STALLED) {
            evictions.incrementAndGet();
        }
    }

    /** Keeps the bytes a session read before it ended. */
    void sessionEnded(long bytesIn) {
        endedBytesIn.addAndGet(bytesIn);
    }

    void reconnected() {
        reconnects.incrementAndGet();
    }

    void failedOver() {
        failovers.incrementAndGet();
    }

    /**
     * Adds up the totals.
     *
     * @param listed the status of every session in the table
     * @param liveBytes for those sessions, the bytes written to and skipped for their attached clients
     * @param unlistedBytesIn bytes read by sessions that are ending (out of the table, not torn down)
     * @return the totals
     */
    Totals totals(List<SessionStatus> listed, long[] liveBytes, long unlistedBytesIn) {
        int clientCount = 0;
        long bytesIn = endedBytesIn.get() + unlistedBytesIn;
        for (SessionStatus status : listed) {
            clientCount += status.clients().size();
            bytesIn += status.bytesIn();
        }
        return new Totals(listed.size(), clientCount, bytesIn, endedBytesOut.get() + liveBytes[0], reconnects.get(),
                failovers.get(), evictions.get(), endedSkipped.get() + liveBytes[1]);
    }
}
