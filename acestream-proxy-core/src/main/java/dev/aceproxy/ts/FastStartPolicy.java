package dev.aceproxy.ts;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client that joins a running stream is started: with fast start on, it receives the latest
 * program association and program map tables, then the stream from the latest keyframe (kept in a
 * short replay window), then live data; with fast start off, it starts at the live edge.
 *
 * @param enabled whether late joiners start at the latest keyframe
 * @param window how old the latest keyframe may be and still be replayed
 * @param maxBytes how many bytes from the latest keyframe on may be kept for replay
 */
public record FastStartPolicy(boolean enabled, Duration window, long maxBytes) {

    /** Default replay window: three seconds, a few keyframes at common GOP lengths. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(3);

    /** Default bound of the replay window: 8 MiB, three seconds of a 20 Mbit/s stream. */
    public static final long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;

    /** Fast start on, with {@link #DEFAULT_WINDOW} and {@link #DEFAULT_MAX_BYTES}. */
    public static final FastStartPolicy DEFAULT =
            new FastStartPolicy(true, DEFAULT_WINDOW, DEFAULT_MAX_BYTES);

    /** Fast start off: every client starts at the live edge. */
    public static final FastStartPolicy DISABLED =
            new FastStartPolicy(false, DEFAULT_WINDOW, DEFAULT_MAX_BYTES);

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code window} is null
     * @throws IllegalArgumentException if {@code window} is not positive or {@code maxBytes} is
     *     smaller than one packet
     */
    public FastStartPolicy {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        if (maxBytes < TsPackets.PACKET_SIZE) {
            throw new IllegalArgumentException("maxBytes must be at least one packet ("
                    + TsPackets.PACKET_SIZE + "), got " + maxBytes);
        }
    }
}
