package dev.aceproxy.fanout;

import dev.aceproxy.ts.TsPackets;
import java.time.Duration;
import java.util.Objects;

/**
 * How the fan-out gathers small upstream chunks into larger ones before handing them to clients.
 *
 * <p>An engine that trickles (a few kilobytes every few milliseconds) would otherwise cost every
 * client a wake-up, a write and a system call per trickle. Gathering happens once per stream, not
 * per client: small chunks are held until they add up to {@code targetBytes} or the oldest has
 * waited {@code maxDelay}, then go out as one chunk. A chunk of at least half
 * {@code targetBytes} passes straight through, and the first chunk after a stream (re)starts is
 * never held, so a new stream's first byte is not delayed.
 *
 * @param targetBytes hand gathered data out once it reaches this many bytes
 * @param maxDelay the longest a byte is held; {@link Duration#ZERO} turns gathering off
 */
public record CoalescePolicy(int targetBytes, Duration maxDelay) {

    /**
     * Default size: 128 KiB, about a quarter of a second of a 4 Mbit/s stream. Each player's
     * socket write costs about the same whatever its size, so fewer and larger writes are what
     * keeps the CPU per player low.
     */
    public static final int DEFAULT_TARGET_BYTES = 128 * 1024;

    /**
     * Default delay: 200 ms; far below what a player buffers (seconds), far above an engine's
     * trickle, and about the time a 4 Mbit/s stream takes to fill {@link #DEFAULT_TARGET_BYTES}.
     */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(200);

    /** The longest delay allowed: keepalive filler starts after one second of silence. */
    public static final Duration MAX_DELAY_LIMIT = Duration.ofMillis(500);

    /** Gathering on, with {@link #DEFAULT_TARGET_BYTES} and {@link #DEFAULT_MAX_DELAY}. */
    public static final CoalescePolicy DEFAULT = new CoalescePolicy(DEFAULT_TARGET_BYTES, DEFAULT_MAX_DELAY);

    /** Gathering off: every upstream chunk goes to the clients as it comes. */
    public static final CoalescePolicy DISABLED = new CoalescePolicy(DEFAULT_TARGET_BYTES, Duration.ZERO);

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code maxDelay} is null
     * @throws IllegalArgumentException if {@code targetBytes} is smaller than one packet or
     *     {@code maxDelay} is negative or above {@link #MAX_DELAY_LIMIT}
     */
    public CoalescePolicy {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (targetBytes < TsPackets.PACKET_SIZE) {
            throw new IllegalArgumentException("targetBytes must be at least one packet ("
                    + TsPackets.PACKET_SIZE + "), got " + targetBytes);
        }
        if (maxDelay.isNegative() || maxDelay.compareTo(MAX_DELAY_LIMIT) > 0) {
            throw new IllegalArgumentException("maxDelay must be between 0 and " + MAX_DELAY_LIMIT.toMillis()
                    + " ms, got " + maxDelay);
        }
    }

    /**
     * Tells whether small chunks are gathered at all.
     *
     * @return {@code false} when {@link #maxDelay()} is zero
     */
    public boolean enabled() {
        return !maxDelay.isZero();
    }

    /**
     * The size from which a chunk passes straight through: half {@code targetBytes}.
     *
     * @return the smallest chunk that is never held
     */
    public int passThroughBytes() {
        return Math.max(1, targetBytes / 2);
    }

    /**
     * Tells whether a chunk of {@code length} bytes is gathered (held until more come or
     * {@code maxDelay} passes) rather than passed straight through.
     *
     * @param length a chunk's length in bytes
     * @return {@code true} when gathering is on and the chunk is smaller than
     *     {@link #passThroughBytes()}
     */
    public boolean gathers(int length) {
        return enabled() && length < passThroughBytes();
    }
}
