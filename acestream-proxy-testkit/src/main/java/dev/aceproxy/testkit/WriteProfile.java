package dev.aceproxy.testkit;

import java.util.Objects;

/**
 * How a playback's bytes are cut into socket writes and when they go: the size of each write, and
 * how many bytes at the start of each playback connection go at link speed (the burst) before the
 * rest is paced at the engine's bitrate. Whatever the profile, the bytes are the same looped clip,
 * packet for packet; only the write boundaries and their timing change. Each write is a socket
 * write of its own ({@code TCP_NODELAY} is on), so a reader sees reads of those sizes or smaller.
 *
 * <p>Sizes are drawn from a {@link java.util.Random} seeded with {@link #seed()}, afresh for every
 * playback connection: the n-th write of every connection of an engine has the same size, and the
 * same seed gives the same sizes in every run.
 *
 * <p>The default, {@link #DEFAULT}, is the real engine's way: ragged writes after a 1 MiB burst.
 *
 * @param sizes how write sizes are chosen
 * @param seed the seed of the size sequence (unused by {@link Sizes#UNIFORM} and {@link Sizes#FIXED})
 * @param burstBytes bytes of each playback connection sent at link speed before pacing begins
 * @param fixedBytes the size of every write with {@link Sizes#FIXED}; 0 otherwise
 */
public record WriteProfile(Sizes sizes, long seed, long burstBytes, int fixedBytes) {

    /** How write sizes are chosen. */
    public enum Sizes {
        /**
         * Whole packets, about 10 ms of stream per paced write (at most 64 KiB); up to 64 KiB per
         * write inside the burst. The neat case: every write on a packet boundary.
         */
        UNIFORM,
        /**
         * Each write a random size from 1 byte to {@link #RAGGED_MAX_WRITE_BYTES}, log-uniform (about
         * as many writes under 50 bytes as between 50 B and 2.5 KiB, or between 2.5 and 128 KiB), so
         * under 1 in 100 is a multiple of 188 and most end inside a packet.
         */
        RAGGED,
        /** Many small writes: each a random size from {@link #TRICKLE_MIN_WRITE_BYTES} to {@link #TRICKLE_MAX_WRITE_BYTES}. */
        TRICKLE,
        /**
         * Every write the same size, {@link #fixedBytes()}, whatever the bitrate: an engine seen to
         * write blocks of one size (a {@code --probe-report} tells which), on a packet boundary or not.
         */
        FIXED
    }

    /** The seed of {@link #DEFAULT} and of {@link #trickle()}. */
    public static final long DEFAULT_SEED = 0xACE5_7AEAL;
    /** The burst of {@link #DEFAULT}: 1 MiB at link speed, as the engine releases its prebuffered window. */
    public static final long DEFAULT_BURST_BYTES = 1L << 20;
    /** The largest ragged write: 128 KiB. */
    public static final int RAGGED_MAX_WRITE_BYTES = 128 * 1024;
    /** The smallest trickle write. */
    public static final int TRICKLE_MIN_WRITE_BYTES = 100;
    /** The largest trickle write. */
    public static final int TRICKLE_MAX_WRITE_BYTES = 2048;
    /** The fake engine's default: {@code ragged(DEFAULT_SEED).withBurst(DEFAULT_BURST_BYTES)}. */
    public static final WriteProfile DEFAULT = new WriteProfile(Sizes.RAGGED, DEFAULT_SEED, DEFAULT_BURST_BYTES, 0);

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code sizes} is null
     * @throws IllegalArgumentException if {@code burstBytes} is negative, or {@code fixedBytes} is not
     *     from 1 to {@link #RAGGED_MAX_WRITE_BYTES} with {@link Sizes#FIXED} and 0 otherwise
     */
    public WriteProfile {
        Objects.requireNonNull(sizes, "sizes");
        if (burstBytes < 0) {
            throw new IllegalArgumentException("burstBytes must not be negative: " + burstBytes);
        }
        if (sizes == Sizes.FIXED ? fixedBytes < 1 || fixedBytes > RAGGED_MAX_WRITE_BYTES : fixedBytes != 0) {
            throw new IllegalArgumentException("fixedBytes must be from 1 to " + RAGGED_MAX_WRITE_BYTES
                    + " with FIXED sizes and 0 otherwise: " + fixedBytes + " with " + sizes);
        }
    }

    /**
     * Paced writes of whole packets, about 10 ms of stream each, no burst: the fake engine's
     * behaviour before write profiles existed.
     *
     * @return the profile
     */
    public static WriteProfile uniform() {
        return new WriteProfile(Sizes.UNIFORM, 0, 0, 0);
    }

    /**
     * Ragged writes (see {@link Sizes#RAGGED}), paced so that the average rate is the bitrate; no burst.
     *
     * @param seed the seed of the size sequence
     * @return the profile
     */
    public static WriteProfile ragged(long seed) {
        return new WriteProfile(Sizes.RAGGED, seed, 0, 0);
    }

    /**
     * Uniform writes, the first {@code burstBytes} of each playback connection at link speed.
     *
     * @param burstBytes the burst
     * @return the profile
     * @throws IllegalArgumentException if {@code burstBytes} is negative
     */
    public static WriteProfile bursty(long burstBytes) {
        return new WriteProfile(Sizes.UNIFORM, 0, burstBytes, 0);
    }

    /**
     * Many small writes (see {@link Sizes#TRICKLE}) with the default seed, paced; no burst.
     *
     * @return the profile
     */
    public static WriteProfile trickle() {
        return trickle(DEFAULT_SEED);
    }

    /**
     * Many small writes (see {@link Sizes#TRICKLE}), paced; no burst.
     *
     * @param seed the seed of the size sequence
     * @return the profile
     */
    public static WriteProfile trickle(long seed) {
        return new WriteProfile(Sizes.TRICKLE, seed, 0, 0);
    }

    /**
     * Every write {@code bytes} long (see {@link Sizes#FIXED}), paced; no burst. For example
     * {@code fixed(12_032)}: blocks of 64 packets, as one engine was seen to write.
     *
     * @param bytes the size of every write, from 1 to {@link #RAGGED_MAX_WRITE_BYTES}
     * @return the profile
     * @throws IllegalArgumentException if {@code bytes} is out of range
     */
    public static WriteProfile fixed(int bytes) {
        return new WriteProfile(Sizes.FIXED, 0, 0, bytes);
    }

    /**
     * This profile with another burst, e.g. {@code ragged(7).withBurst(1 << 20)}.
     *
     * @param bytes bytes of each playback connection sent at link speed before pacing begins
     * @return the profile
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public WriteProfile withBurst(long bytes) {
        return new WriteProfile(sizes, seed, bytes, fixedBytes);
    }
}
