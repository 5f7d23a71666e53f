package dev.aceproxy.engine;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A session's statistics as the engine reports them on its stat url.
 *
 * <p>The engine answers {@code -1} for a number it does not know yet (a session still
 * prebuffering, for instance): such a field holds {@link #UNKNOWN}, and its {@code known...}
 * accessor is empty. A field the engine left out, or sent as {@code null}, reads as 0.
 *
 * @param status the engine's state for the session, as opaque text: usually {@code prebuf},
 *     {@code dl}, {@code buf}, {@code check}, {@code checking}, {@code wait}, {@code idle} or
 *     {@code err}
 * @param peers connected peers, or {@link #UNKNOWN}
 * @param speedDownKBps download speed in KB/s, or {@link #UNKNOWN}
 * @param speedUpKBps upload speed in KB/s, or {@link #UNKNOWN}
 * @param downloadedBytes bytes downloaded by the session, or {@link #UNKNOWN}
 * @param uploadedBytes bytes uploaded by the session, or {@link #UNKNOWN}
 */
public record EngineStats(String status, int peers, long speedDownKBps, long speedUpKBps, long downloadedBytes,
                          long uploadedBytes) {

    /** The value of a field the engine does not know: it answered {@code -1}. */
    public static final int UNKNOWN = -1;

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code status} is null
     * @throws IllegalArgumentException if a count or speed is below {@link #UNKNOWN}
     */
    public EngineStats {
        Objects.requireNonNull(status, "status");
        requireCountOrUnknown("peers", peers);
        requireCountOrUnknown("speedDownKBps", speedDownKBps);
        requireCountOrUnknown("speedUpKBps", speedUpKBps);
        requireCountOrUnknown("downloadedBytes", downloadedBytes);
        requireCountOrUnknown("uploadedBytes", uploadedBytes);
    }

    /**
     * Returns the connected peers when the engine knows them.
     *
     * @return the count, or empty when it is {@link #UNKNOWN}
     */
    public OptionalInt knownPeers() {
        return peers == UNKNOWN ? OptionalInt.empty() : OptionalInt.of(peers);
    }

    /**
     * Returns the download speed when the engine knows it.
     *
     * @return KB/s, or empty when it is {@link #UNKNOWN}
     */
    public OptionalLong knownSpeedDownKBps() {
        return known(speedDownKBps);
    }

    /**
     * Returns the upload speed when the engine knows it.
     *
     * @return KB/s, or empty when it is {@link #UNKNOWN}
     */
    public OptionalLong knownSpeedUpKBps() {
        return known(speedUpKBps);
    }

    /**
     * Returns the bytes downloaded when the engine knows them.
     *
     * @return bytes, or empty when it is {@link #UNKNOWN}
     */
    public OptionalLong knownDownloadedBytes() {
        return known(downloadedBytes);
    }

    /**
     * Returns the bytes uploaded when the engine knows them.
     *
     * @return bytes, or empty when it is {@link #UNKNOWN}
     */
    public OptionalLong knownUploadedBytes() {
        return known(uploadedBytes);
    }

    private static OptionalLong known(long value) {
        return value == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static void requireCountOrUnknown(String name, long value) {
        if (value < UNKNOWN) {
            throw new IllegalArgumentException(name + " must not be negative (or " + UNKNOWN + " for unknown), got "
                    + value);
        }
    }
}
