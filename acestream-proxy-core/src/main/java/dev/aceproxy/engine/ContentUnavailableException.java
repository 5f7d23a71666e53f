package dev.aceproxy.engine;

/**
 * The engine answered a request with its own error text: it cannot load the content ({@code failed to load content}, {@code invalid content id}), or, for statistics, it no longer knows the session ({@code unknown playback session id}). Asking again with the same content usually fails the same way; {@link #engineError()} holds the engine's text.
 */
public final class ContentUnavailableException extends EngineException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception without engine text or cause.
     *
     * @param message what failed, for a person to read
     */
    public ContentUnavailableException(String message) {
        super(message, null, null);
    }

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person to read
     * @param engineError the engine's own error text, or null
     * @param cause the underlying failure, or null
     */
    public ContentUnavailableException(String message, String engineError, Throwable cause) {
        super(message, engineError, cause);
    }
}
