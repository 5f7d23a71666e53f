package dev.aceproxy.testkit.internal;

/**
 * When each write of a playback is due: writes that start inside the first {@code burstBytes} at
 * once, the rest at a constant rate counted from the end of the burst, each write when its last
 * byte is due, so that a large write never puts the stream ahead of the rate. The schedule can
 * restart from the current position (after a stall, so that no catch-up burst follows). Not
 * thread-safe: owned by the connection's streaming thread.
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
     * @param sentBytes bytes sent so far on the connection, where the write starts
     * @param length the write's length
     * @param nowNanos the current {@link System#nanoTime()}
     * @return nanoseconds to wait before the write may go, 0 if it may go now
     */
    long nanosUntilDue(long sentBytes, int length, long nowNanos) {
        if (sentBytes < burstBytes) {
            return 0;
        }
        if (!anchored) {
            restart(sentBytes, nowNanos);
        }
        long end = sentBytes + length - anchorBytes;
        long dueNanos = anchorNanos + (long) ((double) end * 8 * 1_000_000_000L / bitsPerSecond);
        return Math.max(0, dueNanos - nowNanos);
    }

    /**
     * Starts the schedule afresh from the byte at {@code sentBytes}, now. Inside the burst there is
     * nothing to schedule: the burst goes at link speed and pacing starts where it ends (anchored
     * here, the burst's bytes would be paid back afterwards with as much silence).
     *
     * @param sentBytes bytes sent so far on the connection
     * @param nowNanos the current {@link System#nanoTime()}
     */
    void restart(long sentBytes, long nowNanos) {
        if (sentBytes < burstBytes) {
            anchored = false;
            return;
        }
        anchored = true;
        anchorBytes = sentBytes;
        anchorNanos = nowNanos;
    }
}
