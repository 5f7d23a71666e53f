package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.EngineSession;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.internal.json.JsonObject;
import dev.aceproxy.internal.json.JsonParseException;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The session start ({@code /ace/getstream}): builds its query from the content and the caller's
 * allowed parameters, makes the bounded JSON call, and reads the answer into an
 * {@link EngineSession} whose urls are on the configured engine address.
 */
public final class GetstreamCall {

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final EngineAddress engine;
    private final EngineExchange exchange;
    private final EngineErrors failures;
    private final Duration timeout;
    private final Set<String> allowedParameters;
    private final JsonRedirects redirects;

    public GetstreamCall(EngineAddress engine, EngineExchange exchange, EngineErrors failures, Duration timeout,
                  Set<String> allowedParameters) {
        this.engine = engine;
        this.exchange = exchange;
        this.failures = failures;
        this.timeout = timeout;
        this.allowedParameters = Set.copyOf(allowedParameters);
        this.redirects = new JsonRedirects(engine, failures);
    }

    /**
     * Checks names a caller wants to allow: each of letters, digits and underscores, and none of
     * {@link AceEngineClient#FORBIDDEN_PARAMETERS}.
     *
     * @throws IllegalArgumentException if the set or a name is null, malformed or forbidden
     */
    public static Set<String> allowable(Set<String> names) {
        if (names == null) {
            throw new IllegalArgumentException("allowedParameters is null");
        }
        for (String name : names) {
            if (name == null || !PARAMETER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("getstream parameter name must be 1 to 64 letters, digits or"
                        + " underscores: " + (name == null ? "null" : "\"" + EngineAnswers.clean(name) + "\""));
            }
            if (AceEngineClient.FORBIDDEN_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("getstream parameter \"" + name
                        + "\" can never be allowed: the client sets it itself or it would make the engine"
                        + " fetch what it names");
            }
        }
        return Set.copyOf(names);
    }

    /** The parameters callers may pass, unmodifiable. */
    public Set<String> allowedParameters() {
        return allowedParameters;
    }

    /**
     * The getstream query: {@code format=json}, the content selector, a fresh random {@code pid}
     * and the extra parameters in name order, values encoded.
     *
     * @throws IllegalArgumentException if a parameter is forbidden or not allowed, or a value is null
     */
    public String query(ContentId content, Map<String, String> extra) {
        StringBuilder query = new StringBuilder()
                .append("format=json&")
                .append(content.kind().parameter()).append('=').append(content.hex())
                .append("&pid=").append(UUID.randomUUID());
        for (Map.Entry<String, String> parameter : new TreeMap<>(extra).entrySet()) {
            String name = parameter.getKey();
            if (AceEngineClient.FORBIDDEN_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("getstream parameter \"" + name
                        + "\" is never passed to the engine: the client sets it itself or it would make the"
                        + " engine fetch what it names");
            }
            if (!allowedParameters.contains(name)) {
                throw new IllegalArgumentException("getstream parameter \"" + name
                        + "\" is not on the allow-list " + new TreeSet<>(allowedParameters));
            }
            String value = Objects.requireNonNull(parameter.getValue(), () -> "value of getstream parameter " + name);
            query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    /** Sends the getstream call with a query from {@link #query} and reads the session it starts. */
    public EngineSession start(ContentId content, String query) throws EngineException, InterruptedException {
        String what = "the session start for " + content;
        JsonObject answer = exchange.json(engine.resolve("/ace/getstream?" + query), timeout, what, redirects);
        try {
            Optional<String> error = EngineAnswers.error(answer);
            if (error.isPresent()) {
                throw new ContentUnavailableException(failures.engineName() + " cannot play " + content + ": "
                        + error.get(), error.get(), null);
            }
            EngineSession session = EngineAnswers.session(content, answer.object("response"), engine);
            LOG.log(Level.DEBUG, () -> "started " + content + ": infohash " + session.infohash()
                    + ", playback " + session.playbackUri());
            return session;
        } catch (JsonParseException e) {
            throw failures.protocol(what, e);
        } catch (EngineAddress.UnsafeUri e) {
            throw new EngineProtocolException(failures.engineName() + " answered " + what
                    + " with a url this client will not follow: " + e.getMessage());
        }
    }
}
