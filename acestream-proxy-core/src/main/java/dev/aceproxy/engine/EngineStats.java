package dev.aceproxy.engine;

import java.util.Objects;

/**
 * A session's statistics as the engine reports them on its stat url.
 *
 * @param status the engine's state for the session, as opaque text: usually {@code prebuf},
 *     {@code dl}, {@code buf}, {@code check}, {@code checking}, {@code wait}, {@code idle} or
 *     {@code err}
 * @param peers connected peers (0 when the engine did not say)
 * @param speedDownKBps download speed in KB/s (0 when the engine did not say)
 * @param speedUpKBps upload speed in KB/s (0 when the engine did not say)
 * @param downloadedBytes bytes downloaded by the session (0 when the engine did not say)
 * @param uploadedBytes bytes uploaded by the session (0 when the engine did not say)
 */
public record EngineStats(String status, int peers, long speedDownKBps, long speedUpKBps, long downloadedBytes,
                          long uploadedBytes) {

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code status} is null
     * @throws IllegalArgumentException if a count or speed is negative
     */
    public EngineStats {
        Objects.requireNonNull(status, "status");
        requireNotNegative("peers", peers);
        requireNotNegative("speedDownKBps", speedDownKBps);
        requireNotNegative("speedUpKBps", speedUpKBps);
        requireNotNegative("downloadedBytes", downloadedBytes);
        requireNotNegative("uploadedBytes", uploadedBytes);
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
