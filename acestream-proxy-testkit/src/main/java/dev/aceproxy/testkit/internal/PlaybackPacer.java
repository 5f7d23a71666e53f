package dev.aceproxy.testkit.internal;

/**
 * When each byte of a playback is due: the first {@code burstBytes} at once, the rest at a constant
 * rate counted from the end of the burst. The schedule can restart from the current position (after
 * a stall, so that no catch-up burst follows). Not thread-safe: owned by the connection's streaming
 * thread.
 */
final class PlaybackPacer {

    private final long bitsPerSecond;
    private final long burstBytes;
    private boolean anchored;
    private long anchorBytes;
    private long anchorNanos;

    /**
     * @param bitsPerSecond the paced rate, positive
     * @param burstBytes bytes sent unpaced at the start
     */
    PlaybackPacer(long bitsPerSecond, long burstBytes) {
        this.bitsPerSecond = bitsPerSecond;
        this.burstBytes = burstBytes;
    }

    /**
     * @param sentBytes bytes sent so far on the connection
     * @return whether the connection is still inside its initial burst
     */
    boolean inBurst(long sentBytes) {
        return sentBytes < burstBytes;
    }

    /**
     * @param sentBytes bytes sent so far on the connection
     * @param nowNanos the current {@link System#nanoTime()}
     * @return nanoseconds to wait before the byte at {@code sentBytes} may be sent, 0 if it may go now
     */
    long nanosUntilDue(long sentBytes, long nowNanos) {
        if (sentBytes < burstBytes) {
            return 0;
        }
        if (!anchored) {
            restart(sentBytes, nowNanos);
            return 0;
        }
        long dueNanos = anchorNanos + (long) ((double) (sentBytes - anchorBytes) * 8 * 1_000_000_000L / bitsPerSecond);
        return Math.max(0, dueNanos - nowNanos);
    }

    /**
     * Starts the schedule afresh: the byte at {@code sentBytes} is due now.
     *
     * @param sentBytes bytes sent so far on the connection
     * @param nowNanos the current {@link System#nanoTime()}
     */
    void restart(long sentBytes, long nowNanos) {
        anchored = true;
        anchorBytes = sentBytes;
        anchorNanos = nowNanos;
    }
}
