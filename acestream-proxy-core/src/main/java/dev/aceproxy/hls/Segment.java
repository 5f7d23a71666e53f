package dev.aceproxy.hls;

import dev.aceproxy.ts.Chunk;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One published HLS segment: a list of references to the stream's shared chunks (slices of them at
 * the cuts), never a copy. It starts with the program tables and a keyframe, so it decodes on its
 * own. Immutable.
 *
 * @param sequence the media sequence number, from 0 within an HLS session
 * @param durationMillis the duration, from the keyframes' presentation timestamps
 * @param programDateTime when its first byte arrived at the proxy
 * @param discontinuity whether a new upstream starts with this segment
 * @param chunks the bytes, in order
 * @param length the number of bytes
 */
public record Segment(long sequence, long durationMillis, Instant programDateTime, boolean discontinuity,
                      List<Chunk> chunks, long length) {

    /**
     * Validates and copies the list.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the sequence or duration is negative, or the length does
     *     not match the chunks
     */
    public Segment {
        Objects.requireNonNull(programDateTime, "programDateTime");
        chunks = List.copyOf(chunks);
        if (sequence < 0 || durationMillis < 0) {
            throw new IllegalArgumentException("sequence and duration must not be negative");
        }
        long sum = 0;
        for (Chunk c : chunks) {
            sum += c.length();
        }
        if (sum != length) {
            throw new IllegalArgumentException("length " + length + " does not match the chunks' " + sum);
        }
    }
}
