package dev.aceproxy.engine;

/**
 * No configured engine is healthy, so no stream can start (or a stream without data cannot be
 * joined) now. Raised by the proxy before it asks any engine, or when the last healthy engine
 * refused the connection; a balancer should send the player elsewhere and retry later.
 */
public final class NoHealthyEngineException extends EngineUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person to read
     * @param cause the last engine's failure, or null
     */
    public NoHealthyEngineException(String message, Throwable cause) {
        super(message, null, cause);
    }
}
