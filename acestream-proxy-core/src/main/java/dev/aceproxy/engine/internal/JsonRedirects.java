package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.ContentRedirectedException;
import dev.aceproxy.engine.AceEngineClient;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a redirect answered to the session start leads. The engine may send {@code getstream} to
 * another path on itself: a {@code Location} on the configured host and port (relative or absolute)
 * is followed when it passes the engine's path rules. A {@code Location} on any other host or port
 * is never requested; it means this engine will not play the content here, which is a
 * {@link ContentRedirectedException}, not a fault of the engine.
 */
public final class JsonRedirects {

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());

    private final EngineAddress engine;
    private final EngineErrors failures;

    public JsonRedirects(EngineAddress engine, EngineErrors failures) {
        this.engine = engine;
        this.failures = failures;
    }

    /**
     * The url to ask next after {@code from} answered {@code status} with {@code location}.
     *
     * @throws ContentRedirectedException if the location is on another host or port
     * @throws EngineProtocolException if there is no location, it cannot be parsed, or it is on the
     *     engine but refused by its rules (another scheme, a path outside {@code /ace/}, ...)
     */
    public URI target(URI from, int status, String location, String what)
            throws ContentRedirectedException, EngineProtocolException {
        if (location == null) {
            throw new EngineProtocolException(failures.engineName() + " redirected " + what + " (HTTP "
                    + status + ") without a Location");
        }
        String shown = EngineAnswers.clean(location);
        URI target;
        try {
            target = from.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new EngineProtocolException(failures.engineName() + " redirected " + what + " (HTTP " + status
                    + ") to " + shown + ", which cannot be parsed");
        }
        if (!engine.isOnHostAndPort(target)) {
            throw new ContentRedirectedException(failures.engineName() + " redirected " + what + " (HTTP "
                    + status + ") to " + shown + ", on another host: the client sends requests only to the"
                    + " engine at " + engine, shown);
        }
        try {
            URI next = engine.redirectTarget(target);
            LOG.log(Level.DEBUG, () -> what + " redirected to " + next);
            return next;
        } catch (EngineAddress.UnsafeUri e) {
            throw new EngineProtocolException(failures.engineName() + " redirected " + what + " (HTTP " + status
                    + ") to " + shown + ", which is refused: " + e.getMessage());
        }
    }
}
