package dev.aceproxy.fanout.internal;

import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.FastStartPolicy;
import dev.aceproxy.ts.internal.FastStartIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * Distribution: hands each chunk to every player as the {@link SlowPlayer} rules allow, records it
 * for fast start, and gives each joiner the start a decoder can begin at. It owns the fast-start
 * index and the start backlog, and knows where the upstream restarted (the program tables go
 * first after a restart, and players waiting for a keyframe resume at the next one).
 *
 * <p>Not thread-safe: the fan-out calls it with its lock held.
 */
final class Distributor {

    private final FastStartIndex index;
    private final StartBacklog startBacklog;
    private final PlayerList players;
    private boolean tablesPending;
    private long keyframesSeen;

    Distributor(FastStartPolicy fastStart, PlayerList players) {
        this.index = new FastStartIndex(fastStart);
        this.startBacklog = new StartBacklog(fastStart.maxBytes(), fastStart.window().toNanos());
        this.players = players;
    }

    /** Tells whether a joiner would start at a keyframe within {@code maxBytes}. */
    boolean keyframeStartHeld(long maxBytes) {
        return !index.startSequence(maxBytes).isEmpty();
    }

    /** Tells whether the stream's keyframes are being found, so a skipping player may wait for one. */
    boolean keyframesKnown() {
        return index.hasKeyframe();
    }

    /**
     * A new upstream replaced the old one: the replay window is forgotten and the next chunk is
     * preceded, for every player, by the latest program tables.
     */
    void upstreamRestarted() {
        index.reset();
        startBacklog.restart();
        tablesPending = true;
    }

    /**
     * Gives a new player a start a decoder can begin at: the program tables and the stream from the
     * latest keyframe; or, before the stream's first keyframe, everything since the upstream
     * (re)started (what the players who waited for the start must get); or else it waits for the
     * next keyframe. Without fast start, or while the stream's video is unknown, it starts at the
     * live edge. Fan-out lock held.
     */
    void giveStart(PlayerQueue player, long maxBytes) {
        if (!index.policy().enabled()) {
            return;
        }
        List<Chunk> fromKeyframe = index.startSequence(maxBytes);
        if (!fromKeyframe.isEmpty()) {
            player.offerStart(fromKeyframe);
            return;
        }
        List<Chunk> sinceStart = startBacklog.sinceStart(maxBytes);
        if (sinceStart != null) {
            player.offerStart(sinceStart);
        } else if (index.videoPid().isPresent()) {
            player.rules().awaitKeyframe();
        }
    }

    /**
     * Hands one chunk to every queue and records it for fast start. Fan-out lock held; never blocks.
     *
     * @param given the chunk, not empty; a heap chunk is copied outside the heap first
     * @param removed players already removed by the caller, or {@code null}
     * @return every player removed so far, whose sinks the caller closes outside the lock
     */
    List<PlayerQueue> distribute(Chunk given, List<PlayerQueue> removed) {
        // once per stream, so that no player's write copies it again
        Chunk chunk = given.outsideHeap();
        index.observe(chunk);
        long keyframes = index.keyframes();
        boolean newKeyframe = keyframes != keyframesSeen;
        keyframesSeen = keyframes;
        boolean keyframesKnown = index.hasKeyframe();
        Chunk tables = null;
        boolean restarted = tablesPending;
        if (tablesPending) {
            tablesPending = false;
            tables = index.programTables().map(Chunk::outsideHeap).orElse(null);
        }
        if (index.policy().enabled()) {
            // A player who joins before the next keyframe gets what the others got, in that order.
            long now = System.nanoTime();
            if (tables != null) {
                startBacklog.record(tables, now);
            }
            startBacklog.record(chunk, now);
        }
        List<Chunk> resume = null;
        long resumeBytes = 0;
        List<PlayerQueue> gone = null;
        for (PlayerQueue player : players.snapshot()) {
            SlowPlayer rules = player.rules();
            boolean keep = (!restarted || player.offerUpstreamRestart())
                    && (tables == null || rules.offerControl(tables));
            if (keep && newKeyframe && rules.awaitingKeyframe()) {
                if (resume == null) {
                    resume = index.resumeSequence();
                    resumeBytes = bytes(resume);
                }
                keep = rules.resume(resume, resumeBytes, chunk);
            } else if (keep) {
                keep = rules.offer(chunk, keyframesKnown);
            }
            if (!keep) {
                gone = gone == null ? new ArrayList<>() : gone;
                gone.add(player);
            }
        }
        return players.removeAll(gone, removed);
    }

    private static long bytes(List<Chunk> chunks) {
        long total = 0;
        for (Chunk chunk : chunks) {
            total += chunk.length();
        }
        return total;
    }
}
