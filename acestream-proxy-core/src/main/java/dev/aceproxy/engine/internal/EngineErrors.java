package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.engine.EngineUnreachableException;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.internal.json.JsonParseException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Names what went wrong in an exchange with the engine as the precise {@link EngineException}:
 * every message names the engine's address and what was asked of it. Builds exceptions only;
 * nothing here talks to the network.
 */
public final class EngineErrors {

    private final String engineName;

    public EngineErrors(EngineAddress engine) {
        this.engineName = "AceStream engine at " + engine;
    }

    /** The engine as messages name it, as in {@code AceStream engine at http://127.0.0.1:6878}. */
    public String engineName() {
        return engineName;
    }

    /** An answer whose body is not JSON (or not UTF-8) at all. */
    public EngineProtocolException notJson(String what, JsonParseException e) {
        return new EngineProtocolException(engineName + " answered " + what
                + " with a body that is not the expected JSON: " + e.getMessage(), null, e);
    }

    /** A JSON answer of a shape this client does not understand. */
    public EngineProtocolException protocol(String what, JsonParseException e) {
        return new EngineProtocolException(engineName + " answered " + what
                + " with JSON this client does not understand: " + e.getMessage(), null, e);
    }

    /** An HTTP error status; {@code text} is the cleaned start of the error body, maybe empty. */
    public EngineUnavailableException httpError(String what, int status, String text) {
        return new EngineUnavailableException(engineName + " answered " + what + " with HTTP " + status
                + (text.isEmpty() ? "" : ": " + text), text.isEmpty() ? null : text, null);
    }

    /** No answer within {@code bound}. */
    public EngineTimeoutException timeout(String what, Duration bound, Throwable cause) {
        return new EngineTimeoutException(engineName + " did not answer " + what + " within "
                + describe(bound) + "; is the engine overloaded or hung?", null, cause);
    }

    /**
     * The failure that {@code thrown} (unwrapped from its future) stands for. A
     * {@code RuntimeException} or {@code Error} found there is a bug, not an engine failure, and is
     * thrown as is.
     */
    public EngineException failure(Throwable thrown, String what, Duration bound) {
        Throwable cause = thrown;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (tooLarge(cause)) {
            return new EngineProtocolException(engineName + " answered " + what + " with a body larger than "
                    + AceEngineClient.MAX_ANSWER_BYTES + " bytes", null, cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new EngineTimeoutException("could not connect to the " + engineName + " for " + what
                    + " in time; is the address right and the engine up?", null, cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return timeout(what, bound, cause);
        }
        if (cause instanceof ConnectException) {
            return new EngineUnreachableException(engineName + " refused the connection for " + what
                    + "; is the engine running and listening there?", cause);
        }
        if (cause instanceof IOException) {
            return new EngineUnavailableException("the connection to the " + engineName + " failed during "
                    + what + ": " + cause, null, cause);
        }
        if (cause instanceof CancellationException) {
            return new EngineUnavailableException(engineName + ": " + what + " was cancelled", null, cause);
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new EngineUnavailableException("the connection to the " + engineName + " failed during "
                + what + ": " + cause, null, cause);
    }

    /**
     * Whether the answer's body was over the bound: the body reader's own failure, as it is or
     * wrapped by {@code HttpClient.send}, which rethrows a plain {@code IOException} around it.
     */
    private static boolean tooLarge(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BoundedBody.TooLarge) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A duration for messages: whole seconds as {@code 10 s}, anything else in milliseconds. */
    public static String describe(Duration d) {
        long millis = d.toMillis();
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return millis + " ms";
    }
}
