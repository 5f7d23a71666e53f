package dev.aceproxy.engine;

/**
 * The engine answered something this client cannot understand or will not trust: a body that is not the expected JSON, a missing or wrongly typed field, an oversized body, a url that is not http(s), has no path or lies outside {@code /ace/}, or a redirect to another host. Usually an incompatible engine version or something other than an engine at the configured address.
 */
public final class EngineProtocolException extends EngineException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception without engine text or cause.
     *
     * @param message what failed, for a person to read
     */
    public EngineProtocolException(String message) {
        super(message, null, null);
    }

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person to read
     * @param engineError the engine's own error text, or null
     * @param cause the underlying failure, or null
     */
    public EngineProtocolException(String message, String engineError, Throwable cause) {
        super(message, engineError, cause);
    }
}
