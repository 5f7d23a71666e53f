package dev.aceproxy.engine;

/**
 * A yes-or-no fact the engine reports as an integer that may also be {@code -1}, "unknown": the
 * {@code is_live} and {@code is_encrypted} fields of a getstream answer. The engine's own SDK starts
 * {@code isLive} at {@code -1}, so an unknown value is an ordinary answer, never a protocol error.
 */
public enum EngineFlag {

    /** The engine said yes ({@code 1} or {@code true}). */
    YES,
    /** The engine said no ({@code 0} or {@code false}). */
    NO,
    /** The engine does not know ({@code -1}) or did not say (field absent or {@code null}). */
    UNKNOWN;

    /**
     * Returns the flag for a known answer.
     *
     * @param value the engine's answer
     * @return {@link #YES} or {@link #NO}
     */
    public static EngineFlag of(boolean value) {
        return value ? YES : NO;
    }

    /**
     * Tells whether the engine gave an answer.
     *
     * @return true for {@link #YES} and {@link #NO}
     */
    public boolean isKnown() {
        return this != UNKNOWN;
    }

    /**
     * Returns the answer, or a fallback when it is unknown.
     *
     * @param whenUnknown what to assume when the engine does not know
     * @return true for {@link #YES}, false for {@link #NO}, {@code whenUnknown} for {@link #UNKNOWN}
     */
    public boolean orElse(boolean whenUnknown) {
        return switch (this) {
            case YES -> true;
            case NO -> false;
            case UNKNOWN -> whenUnknown;
        };
    }
}
