package dev.aceproxy.engine;

/**
 * The engine cannot be reached (connection refused or reset, engine restarting) or answered with an HTTP error status other than the playback's {@code start timeout}. {@link #engineError()} holds the body of an HTTP error answer, when it had one. Retrying later may succeed.
 */
public sealed class EngineUnavailableException extends EngineException
        permits EngineUnreachableException, NoHealthyEngineException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception without engine text or cause.
     *
     * @param message what failed, for a person to read
     */
    public EngineUnavailableException(String message) {
        super(message, null, null);
    }

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person to read
     * @param engineError the engine's own error text, or null
     * @param cause the underlying failure, or null
     */
    public EngineUnavailableException(String message, String engineError, Throwable cause) {
        super(message, engineError, cause);
    }
}
