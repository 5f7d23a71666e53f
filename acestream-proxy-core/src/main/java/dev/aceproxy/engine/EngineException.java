package dev.aceproxy.engine;

import java.io.IOException;
import java.util.Optional;

/**
 * The engine could not do what was asked. Each subclass names one way it fails; the message names
 * the engine's address and, where there is one, the content, and says what a user can do about it.
 *
 * <ul>
 *   <li>{@link ContentUnavailableException}: the engine answered with its own {@code error} text
 *       (the content cannot be loaded, the session is gone); {@link ContentRedirectedException}
 *       when its answer pointed elsewhere, and {@link ContentBusyException} when another session
 *       of this proxy plays the content.</li>
 *   <li>{@link EngineUnavailableException}: the engine failed the request (an HTTP error status, a
 *       connection that broke); {@link EngineUnreachableException} when it refused the connection,
 *       and {@link NoHealthyEngineException} when no configured engine is healthy.</li>
 *   <li>{@link EngineTimeoutException}: the engine did not answer in time.</li>
 *   <li>{@link EngineProtocolException}: the engine answered something this client cannot trust or
 *       understand.</li>
 * </ul>
 */
public abstract sealed class EngineException extends IOException
        permits ContentUnavailableException, EngineUnavailableException, EngineTimeoutException,
                EngineProtocolException {

    private static final long serialVersionUID = 1L;

    /** The engine's own error text, or null when it gave none. */
    private final String engineError;

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person to read
     * @param engineError the engine's own error text, or null
     * @param cause the underlying failure, or null
     */
    protected EngineException(String message, String engineError, Throwable cause) {
        super(message, cause);
        this.engineError = engineError;
    }

    /**
     * Returns the error text the engine itself sent (its {@code error} field, or the body of an
     * HTTP error answer), when it sent one.
     *
     * @return the engine's text, for example {@code failed to load content} or {@code start timeout}
     */
    public Optional<String> engineError() {
        return Optional.ofNullable(engineError);
    }
}
