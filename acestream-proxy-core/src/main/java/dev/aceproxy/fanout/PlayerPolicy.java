package dev.aceproxy.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a client may fall behind, and what happens when it does.
 *
 * @param maxQueuedBytes bound of the client's queue in bytes; a chunk that would exceed it
 *     triggers the overflow policy (a single chunk larger than the bound is still accepted into an
 *     empty queue)
 * @param overflow what to do when the bound would be exceeded or a write stalls
 * @param stallTimeout how long a single write (or flush) may block before the client is treated as
 *     overflowing
 */
public record PlayerPolicy(long maxQueuedBytes, OverflowPolicy overflow, Duration stallTimeout) {

    /** Default queue bound: 4 MiB, about eight seconds of a 4 Mbit/s stream. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 4L * 1024 * 1024;

    /** Default stall timeout: ten seconds, longer than any player's normal pause in reading. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(10);

    /** {@link #DEFAULT_MAX_QUEUED_BYTES}, {@link OverflowPolicy#DISCONNECT}, {@link #DEFAULT_STALL_TIMEOUT}. */
    public static final PlayerPolicy DEFAULT =
            new PlayerPolicy(DEFAULT_MAX_QUEUED_BYTES, OverflowPolicy.DISCONNECT, DEFAULT_STALL_TIMEOUT);

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code overflow} or {@code stallTimeout} is null
     * @throws IllegalArgumentException if {@code maxQueuedBytes} is smaller than one packet or
     *     {@code stallTimeout} is not positive
     */
    public PlayerPolicy {
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        if (maxQueuedBytes < dev.aceproxy.ts.TsPackets.PACKET_SIZE) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least one packet ("
                    + dev.aceproxy.ts.TsPackets.PACKET_SIZE + "), got " + maxQueuedBytes);
        }
        if (stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive, got " + stallTimeout);
        }
    }

    /**
     * Returns this policy with another overflow policy.
     *
     * @param policy the overflow policy
     * @return a new policy
     * @throws NullPointerException if {@code policy} is null
     */
    public PlayerPolicy withOverflow(OverflowPolicy policy) {
        return new PlayerPolicy(maxQueuedBytes, policy, stallTimeout);
    }

    /**
     * Returns this policy with another queue bound.
     *
     * @param bytes the bound
     * @return a new policy
     * @throws IllegalArgumentException if {@code bytes} is smaller than one packet
     */
    public PlayerPolicy withMaxQueuedBytes(long bytes) {
        return new PlayerPolicy(bytes, overflow, stallTimeout);
    }

    /**
     * Returns this policy with another stall timeout.
     *
     * @param timeout the stall timeout
     * @return a new policy
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public PlayerPolicy withStallTimeout(Duration timeout) {
        return new PlayerPolicy(maxQueuedBytes, overflow, timeout);
    }
}
