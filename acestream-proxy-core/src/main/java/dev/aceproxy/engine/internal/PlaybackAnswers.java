package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.AceEngineClient;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * What the answer to one playback request means, whichever way it was read: where a redirect may
 * lead (only on the engine's own address, at most {@link AceEngineClient#MAX_REDIRECTS} times),
 * and which failure a compressed body or an answer other than 200 is.
 */
public final class PlaybackAnswers {

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());
    private static final String START_TIMEOUT = "start timeout";

    private final EngineAddress engine;
    private final EngineErrors failures;

    public PlaybackAnswers(EngineAddress engine, EngineErrors failures) {
        this.engine = engine;
        this.failures = failures;
    }

    /**
     * The url a redirect from {@code from} leads to, once checked to stay on the engine's address.
     *
     * @throws EngineProtocolException if there is no Location, it cannot be parsed or is refused
     */
    public URI redirectTarget(URI from, int status, String location, String what) throws EngineProtocolException {
        if (location == null) {
            throw new EngineProtocolException(failures.engineName() + " redirected " + what + " (HTTP "
                    + status + ") without a Location");
        }
        try {
            URI target = engine.redirectTarget(from.resolve(new URI(location)));
            LOG.log(Level.DEBUG, () -> what + " redirected to " + target);
            return target;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new EngineProtocolException(failures.engineName() + " redirected " + what + " to "
                    + EngineAnswers.clean(location) + ", which cannot be parsed");
        } catch (EngineAddress.UnsafeUri e) {
            throw new EngineProtocolException(failures.engineName() + " redirected " + what + " to "
                    + EngineAnswers.clean(location) + ", which is refused: " + e.getMessage());
        }
    }

    /** A 200 whose body has a {@code Content-Encoding} other than identity. */
    public EngineProtocolException compressed(String what, String encoding) {
        return new EngineProtocolException(failures.engineName() + " answered " + what
                + " with a compressed body (Content-Encoding " + EngineAnswers.clean(encoding)
                + ") although identity was asked for");
    }

    /** One redirect more than {@link AceEngineClient#MAX_REDIRECTS}. */
    public EngineProtocolException tooManyRedirects(String what) {
        return new EngineProtocolException(failures.engineName() + " redirected " + what + " more than "
                + AceEngineClient.MAX_REDIRECTS + " times");
    }

    /** The failure for an answer that is neither 200 nor a redirect; {@code text} is its cleaned body. */
    public EngineException refusal(String what, int status, String text) {
        if (status == 500 && text.equalsIgnoreCase(START_TIMEOUT)) {
            return new EngineTimeoutException(failures.engineName() + " gave up starting " + what
                    + " (HTTP 500 " + text + "): the content is still prebuffering or has no peers;"
                    + " try again shortly", text, null);
        }
        if (status >= 200 && status < 300) {
            return new EngineProtocolException(failures.engineName() + " answered " + what + " with HTTP "
                    + status + " instead of 200");
        }
        return failures.httpError(what, status, text);
    }
}
