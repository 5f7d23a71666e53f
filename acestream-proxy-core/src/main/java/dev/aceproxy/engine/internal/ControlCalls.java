package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.EngineVersion;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.internal.json.JsonObject;
import dev.aceproxy.internal.json.JsonParseException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The short JSON calls beside the stream: a session's statistics, its stop command, and the
 * engine's version probe. Each is one bounded request; the engine's own {@code error} text becomes
 * the exception that fits the call.
 */
public final class ControlCalls {

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());
    private static final String UNKNOWN_SESSION = "unknown playback session id";

    private final EngineAddress engine;
    private final EngineExchange exchange;
    private final EngineErrors failures;
    private final Duration statTimeout;
    private final Duration stopTimeout;

    public ControlCalls(EngineAddress engine, EngineExchange exchange, EngineErrors failures, Duration statTimeout,
                 Duration stopTimeout) {
        this.engine = engine;
        this.exchange = exchange;
        this.failures = failures;
        this.statTimeout = statTimeout;
        this.stopTimeout = stopTimeout;
    }

    /** Reads the statistics at {@code statUri}, already checked to be on this engine. */
    public EngineStats stats(ContentId content, URI statUri) throws EngineException, InterruptedException {
        String what = "the statistics request for " + content;
        JsonObject answer = exchange.json(statUri, statTimeout, what);
        try {
            Optional<String> error = EngineAnswers.error(answer);
            if (error.isPresent()) {
                throw refused(what, error.get());
            }
            return EngineAnswers.stats(answer.object("response"));
        } catch (JsonParseException e) {
            throw failures.protocol(what, e);
        }
    }

    /**
     * Sends {@code method=stop} to {@code command}, already checked to be on this engine; a
     * session the engine no longer knows counts as stopped.
     */
    public void stop(ContentId content, URI command) throws EngineException, InterruptedException {
        URI uri = URI.create(command + (command.getRawQuery() == null ? "?" : "&") + "method=stop");
        String what = "the stop command for " + content;
        JsonObject answer = exchange.json(uri, stopTimeout, what);
        try {
            Optional<String> error = EngineAnswers.error(answer);
            if (error.isPresent()) {
                if (error.get().equalsIgnoreCase(UNKNOWN_SESSION)) {
                    LOG.log(Level.DEBUG, () -> "engine no longer knew the session of " + content);
                    return;
                }
                throw refused(what, error.get());
            }
        } catch (JsonParseException e) {
            throw failures.protocol(what, e);
        }
    }

    /** Asks the engine for its version; an error text means the engine is not usable. */
    public EngineVersion probe() throws EngineException, InterruptedException {
        String what = "the version probe";
        JsonObject answer = exchange.json(engine.resolve("/webui/api/service?method=get_version"),
                statTimeout, what);
        try {
            Optional<String> error = EngineAnswers.error(answer);
            if (error.isPresent()) {
                throw new EngineUnavailableException(failures.engineName() + " answered " + what
                        + " with an error: " + error.get(), error.get(), null);
            }
            return EngineAnswers.version(answer.object("result"));
        } catch (JsonParseException e) {
            throw failures.protocol(what, e);
        }
    }

    private ContentUnavailableException refused(String what, String error) {
        return new ContentUnavailableException(failures.engineName() + " refused " + what + ": " + error,
                error, null);
    }
}
