package dev.aceproxy.internal.json;

/**
 * The text is not valid JSON, exceeds one of the reader's limits, or a field a caller asked for is
 * missing or of the wrong type. The message says where (line and column, or the field path) and
 * what was expected.
 */
public final class JsonParseException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a complete message.
     *
     * @param message where the problem is and what was expected
     */
    public JsonParseException(String message) {
        super(message);
    }
}
