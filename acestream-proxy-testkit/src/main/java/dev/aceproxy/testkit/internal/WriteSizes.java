package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.WriteProfile;
import java.util.Random;

/**
 * The sizes of one playback connection's socket writes, as its {@link WriteProfile} says. Not
 * thread-safe: owned by the connection's streaming thread.
 */
abstract sealed class WriteSizes {

    /** The largest write of any profile. */
    static final int MAX_WRITE_BYTES = WriteProfile.RAGGED_MAX_WRITE_BYTES;

    /**
     * @param profile the profile
     * @param bitsPerSecond the paced rate
     * @return a fresh size sequence for one connection
     */
    static WriteSizes of(WriteProfile profile, long bitsPerSecond) {
        return switch (profile.sizes()) {
            case UNIFORM -> new Uniform(bitsPerSecond, profile.burstBytes());
            case RAGGED -> new Ragged(new Random(profile.seed()), profile.burstBytes());
            case TRICKLE -> new Trickle(new Random(profile.seed()), profile.burstBytes());
            case FIXED -> new Fixed(profile.fixedBytes(), profile.burstBytes());
        };
    }

    /**
     * @param sentBytes bytes sent so far on the connection
     * @return the size of the next write, from 1 to {@link #MAX_WRITE_BYTES}
     */
    abstract int next(long sentBytes);

    /** @return {@code size}, cut so that a write inside the burst ends where the burst does */
    static int withinBurst(int size, long sentBytes, long burstBytes) {
        return sentBytes < burstBytes ? (int) Math.min(size, burstBytes - sentBytes) : size;
    }

    /** Whole packets: about 10 ms of stream per paced write, up to 64 KiB inside the burst. */
    static final class Uniform extends WriteSizes {
        /** Largest write: 348 packets, about 64 KiB. */
        private static final int MAX_PACKETS = 348;
        /** Paced writes carry about this many milliseconds of stream each. */
        private static final int PACED_MILLIS = 10;

        private final long burstBytes;
        private final int pacedPackets;

        Uniform(long bitsPerSecond, long burstBytes) {
            this.burstBytes = burstBytes;
            this.pacedPackets = (int) Math.clamp(
                    bitsPerSecond / 8 * PACED_MILLIS / 1000 / TsClip.PACKET_SIZE, 1, MAX_PACKETS);
        }

        @Override
        int next(long sentBytes) {
            int packets = sentBytes < burstBytes
                    ? (int) Math.min(MAX_PACKETS, Math.ceilDiv(burstBytes - sentBytes, TsClip.PACKET_SIZE))
                    : pacedPackets;
            return packets * TsClip.PACKET_SIZE;
        }
    }

    /** Log-uniform sizes from 1 byte to 128 KiB: tiny, mid and large writes alike, rarely whole packets. */
    static final class Ragged extends WriteSizes {
        private static final double LOG_MAX = Math.log(MAX_WRITE_BYTES + 1.0);

        private final Random random;
        private final long burstBytes;

        Ragged(Random random, long burstBytes) {
            this.random = random;
            this.burstBytes = burstBytes;
        }

        @Override
        int next(long sentBytes) {
            int size = Math.clamp((int) Math.exp(random.nextDouble() * LOG_MAX), 1, MAX_WRITE_BYTES);
            return withinBurst(size, sentBytes, burstBytes);
        }
    }

    /** Small writes, uniformly from 100 bytes to 2 KiB. */
    static final class Trickle extends WriteSizes {
        private final Random random;
        private final long burstBytes;

        Trickle(Random random, long burstBytes) {
            this.random = random;
            this.burstBytes = burstBytes;
        }

        @Override
        int next(long sentBytes) {
            int size = WriteProfile.TRICKLE_MIN_WRITE_BYTES + random.nextInt(
                    WriteProfile.TRICKLE_MAX_WRITE_BYTES - WriteProfile.TRICKLE_MIN_WRITE_BYTES + 1);
            return withinBurst(size, sentBytes, burstBytes);
        }
    }

    /** Every write the same size, cut at the burst's end. */
    static final class Fixed extends WriteSizes {
        private final int size;
        private final long burstBytes;

        Fixed(int size, long burstBytes) {
            this.size = size;
            this.burstBytes = burstBytes;
        }

        @Override
        int next(long sentBytes) {
            return withinBurst(size, sentBytes, burstBytes);
        }
    }
}
