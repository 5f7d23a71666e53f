package dev.aceproxy.fanout.internal;

import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.ts.Chunk;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers small chunks of one stream into larger ones, per a {@link CoalescePolicy}. Not
 * thread-safe: the fan-out calls it with its lock held. The bytes are copied once per stream when
 * two or more chunks are merged; a chunk handed out alone is never copied.
 */
public final class ChunkCoalescer {

    /** {@link #deadlineNanos()} when nothing is held. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final int targetBytes;
    private final int passThroughBytes;
    private final long maxDelayNanos;
    private final List<Chunk> held = new ArrayList<>();
    private int heldBytes;
    private long heldSinceNanos;

    /**
     * @param policy the sizes and delay; must be {@linkplain CoalescePolicy#enabled() enabled}
     */
    public ChunkCoalescer(CoalescePolicy policy) {
        if (!policy.enabled()) {
            throw new IllegalArgumentException("gathering is disabled by " + policy);
        }
        this.targetBytes = policy.targetBytes();
        // A chunk half the target or larger is worth a write of its own: joining it to what is
        // held would copy many bytes to save one write.
        this.passThroughBytes = policy.passThroughBytes();
        this.maxDelayNanos = policy.maxDelay().toNanos();
    }

    /**
     * Adds the next chunk of the stream.
     *
     * @param chunk the chunk, not empty
     * @param nowNanos the current {@link System#nanoTime()}
     * @return the chunks to hand out now, in stream order: none, one or two
     */
    public List<Chunk> add(Chunk chunk, long nowNanos) {
        if (chunk.length() >= passThroughBytes) {
            // Whatever is held came before this chunk in the stream, so it goes out first, even
            // when the two together would still fit in the target.
            Chunk before = drain();
            return before == null ? List.of(chunk) : List.of(before, chunk);
        }
        Chunk before = heldBytes + chunk.length() > targetBytes ? drain() : null;
        if (heldBytes == 0) {
            heldSinceNanos = nowNanos;
        }
        held.add(chunk);
        heldBytes += chunk.length();
        Chunk full = heldBytes >= targetBytes ? drain() : null;
        if (before == null) {
            return full == null ? List.of() : List.of(full);
        }
        return full == null ? List.of(before) : List.of(before, full);
    }

    /**
     * Returns when the oldest held byte is due.
     *
     * @return a {@link System#nanoTime()} value, or {@link #NO_DEADLINE} when nothing is held
     */
    public long deadlineNanos() {
        return heldBytes == 0 ? NO_DEADLINE : heldSinceNanos + maxDelayNanos;
    }

    /**
     * Tells whether anything is held.
     *
     * @return {@code true} when no byte waits
     */
    public boolean isEmpty() {
        return heldBytes == 0;
    }

    /**
     * Hands out everything held, as one chunk.
     *
     * @return the held bytes, or {@code null} when nothing is held
     */
    public Chunk drain() {
        if (heldBytes == 0) {
            return null;
        }
        Chunk out;
        if (held.size() == 1) {
            out = held.get(0);
        } else {
            out = Chunk.join(held);
        }
        held.clear();
        heldBytes = 0;
        return out;
    }
}
