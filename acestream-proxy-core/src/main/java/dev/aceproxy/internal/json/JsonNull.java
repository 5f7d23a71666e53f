package dev.aceproxy.internal.json;

/**
 * The JSON literal {@code null}. Parsed documents use this sentinel instead of Java {@code null},
 * so that a member whose value is {@code null} can be told apart from a member that is absent.
 */
public enum JsonNull {
    /** The only value. */
    NULL;

    /**
     * Returns {@code null}, as JSON spells it.
     *
     * @return {@code "null"}
     */
    @Override
    public String toString() {
        return "null";
    }
}
