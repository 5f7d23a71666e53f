package dev.aceproxy.engine;

/**
 * The engine refused the connection: it is not running there (down, restarting, a wrong address).
 * A restarted engine has forgotten every session it had. Retrying later, or on another engine,
 * may succeed.
 */
public final class EngineUnreachableException extends EngineUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person to read
     * @param cause the refused connection, or null
     */
    public EngineUnreachableException(String message, Throwable cause) {
        super(message, null, cause);
    }
}
