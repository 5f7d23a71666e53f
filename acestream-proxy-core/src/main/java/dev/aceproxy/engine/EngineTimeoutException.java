package dev.aceproxy.engine;

/**
 * The engine did not answer in time: connecting, the session start, the stop command, the statistics, the version probe, or the response headers of the playback. A playback answered with HTTP 500 {@code start timeout} (the engine gave up prebuffering) is reported with this exception too, with {@link #engineError()} set to the engine's text. Retrying later may succeed.
 */
public final class EngineTimeoutException extends EngineException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception without engine text or cause.
     *
     * @param message what failed, for a person to read
     */
    public EngineTimeoutException(String message) {
        super(message, null, null);
    }

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person to read
     * @param engineError the engine's own error text, or null
     * @param cause the underlying failure, or null
     */
    public EngineTimeoutException(String message, String engineError, Throwable cause) {
        super(message, engineError, cause);
    }
}
