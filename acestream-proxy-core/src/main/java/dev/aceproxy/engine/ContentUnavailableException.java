package dev.aceproxy.engine;

/**
 * The engine cannot play the content: it answered with its own error text ({@code failed to load
 * content}, {@code invalid content id}; for statistics, {@code unknown playback session id} when it
 * no longer knows the session), or it sent the session start elsewhere
 * ({@link ContentRedirectedException}). Asking again with the same content usually fails the same
 * way; {@link #engineError()} holds the engine's text. A problem of the content, not of the engine:
 * it says nothing about the engine's health.
 */
public sealed class ContentUnavailableException extends EngineException permits ContentRedirectedException, ContentBusyException, ChannelUnavailableException {

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
