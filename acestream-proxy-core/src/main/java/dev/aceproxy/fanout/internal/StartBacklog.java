package dev.aceproxy.fanout.internal;

import dev.aceproxy.ts.Chunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Every chunk handed out since the upstream (re)started, while that is still little: what a client
 * who joins before the stream's first keyframe receives, so that the players who waited for a
 * session's start get its first byte on, not the live edge mid-picture. Gives up (and stays empty)
 * once the bytes or the time since the start pass its bounds; by then fast start has a keyframe.
 * Not thread-safe: the fan-out calls it with its lock held.
 */
public final class StartBacklog {

    private final long maxBytes;
    private final long maxAgeNanos;
    private final List<Chunk> chunks = new ArrayList<>();
    private long bytes;
    private long startedNanos;
    private boolean complete = true;

    /**
     * @param maxBytes the most bytes kept
     * @param maxAgeNanos the longest time after the start that chunks are kept
     */
    public StartBacklog(long maxBytes, long maxAgeNanos) {
        this.maxBytes = maxBytes;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** Forgets everything: the upstream (re)starts now. */
    public void restart() {
        chunks.clear();
        bytes = 0;
        complete = true;
        startedNanos = 0;
    }

    /**
     * Records a chunk handed out to the clients.
     *
     * @param chunk the chunk, in stream order
     * @param nowNanos the current {@link System#nanoTime()}
     */
    public void record(Chunk chunk, long nowNanos) {
        if (!complete) {
            return;
        }
        if (chunks.isEmpty()) {
            startedNanos = nowNanos;
        }
        if (bytes + chunk.length() > maxBytes || nowNanos - startedNanos > maxAgeNanos) {
            complete = false;
            chunks.clear();
            bytes = 0;
            return;
        }
        chunks.add(chunk);
        bytes += chunk.length();
    }

    /**
     * Returns every chunk since the start, when all of them are still held and fit the bound.
     *
     * @param limitBytes the most bytes the caller takes
     * @return the chunks (possibly none, when nothing came since the start), or {@code null} when
     *     the backlog is no longer whole or is larger than {@code limitBytes}
     */
    public List<Chunk> sinceStart(long limitBytes) {
        return complete && bytes <= limitBytes ? List.copyOf(chunks) : null;
    }
}
