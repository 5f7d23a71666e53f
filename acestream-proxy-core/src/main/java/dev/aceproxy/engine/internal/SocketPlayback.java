package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.AceEngineClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Opens plain-http playbacks over a socket of their own, on the calling thread: a live stream is a
 * long run of small reads, and blocking reads on the pump's own thread cost a fraction of the
 * {@code HttpClient}'s selector thread and per-delivery tasks (see docs/engine-client.md).
 * Redirects are followed on the engine's own address, and the time to the response headers is
 * bounded across every hop. Each connection is owned by the stream handed out, or closed here when
 * none is; until it closes it is also tracked here, so that {@link #closeAll()} can end it.
 */
public final class SocketPlayback {

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());

    private final EngineAddress engine;
    private final PlaybackAnswers answers;
    private final EngineErrors failures;
    private final String userAgent;
    private final Duration connectTimeout;
    private final Duration headersTimeout;
    private final Set<PlaybackConnection> openPlaybacks = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public SocketPlayback(EngineAddress engine, PlaybackAnswers answers, EngineErrors failures, String userAgent,
                   Duration connectTimeout, Duration headersTimeout) {
        this.engine = engine;
        this.answers = answers;
        this.failures = failures;
        this.userAgent = userAgent;
        this.connectTimeout = connectTimeout;
        this.headersTimeout = headersTimeout;
    }

    /** Opens the playback at {@code start}, an http url already checked to be on this engine. */
    public InputStream open(URI start, String what) throws EngineException, InterruptedException {
        URI uri = start;
        long deadline = System.nanoTime() + headersTimeout.toNanos();
        for (int hop = 0; ; hop++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw failures.timeout(what, headersTimeout, null);
            }
            long started = System.nanoTime();
            PlaybackConnection connection = connect(uri, what, remaining, deadline);
            boolean handedOut = false;
            try {
                connection.sendGet(uri, List.of("User-Agent: " + userAgent, "Accept-Encoding: identity"));
                ResponseHead head = connection.readHead();
                int status = head.status();
                EngineExchange.logAnswer(what, uri, status, started);
                if (status == 200) {
                    String encoding = head.first("Content-Encoding").orElse("identity");
                    if (!encoding.equalsIgnoreCase("identity")) {
                        throw answers.compressed(what, encoding);
                    }
                    InputStream body = connection.body(head);
                    connection.headRead();
                    handedOut = true;
                    return new PlaybackInput(body, connection, what + " from " + engine);
                }
                if (EngineExchange.isRedirect(status)) {
                    if (hop >= AceEngineClient.MAX_REDIRECTS) {
                        throw answers.tooManyRedirects(what);
                    }
                    uri = answers.redirectTarget(uri, status, head.first("Location").orElse(null), what);
                    continue;
                }
                throw answers.refusal(what, status, EngineAnswers.errorText(prefix(connection.body(head))));
            } catch (EngineException e) {
                throw e;
            } catch (MalformedHttpException e) {
                throw new EngineProtocolException(failures.engineName() + " answered " + what
                        + " with malformed HTTP: " + e.getMessage(), null, e);
            } catch (SocketTimeoutException e) {
                if (Thread.interrupted()) {
                    throw interrupted(what);
                }
                LOG.log(Level.DEBUG, () -> what + ": no answer from " + start + " within "
                        + EngineErrors.describe(headersTimeout));
                throw failures.timeout(what, headersTimeout, e);
            } catch (InterruptedIOException e) {
                Thread.interrupted();
                throw interrupted(what);
            } catch (IOException e) {
                if (Thread.interrupted()) {
                    throw interrupted(what);
                }
                LOG.log(Level.DEBUG, () -> what + ": request to " + start + " failed: " + e);
                throw failures.failure(e, what, headersTimeout);
            } finally {
                if (!handedOut) {
                    connection.close();
                }
            }
        }
    }

    /**
     * Closes every connection still open, so that a read blocked on one fails, and closes any a
     * hop in progress connects from now on. Idempotent.
     */
    public void closeAll() {
        closed = true;
        for (PlaybackConnection connection : openPlaybacks) {
            connection.close();
        }
    }

    /** Connects for one playback hop, bounded by the connect timeout and the headers deadline. */
    private PlaybackConnection connect(URI uri, String what, long remainingNanos, long deadline)
            throws EngineException, InterruptedException {
        long connectMillis = Math.min(connectTimeout.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(remainingNanos)));
        PlaybackConnection connection;
        try {
            connection = PlaybackConnection.open(uri, connectMillis, deadline);
        } catch (SocketTimeoutException e) {
            if (Thread.interrupted()) {
                throw interrupted(what);
            }
            if (connectTimeout.toNanos() <= remainingNanos) {
                throw new EngineTimeoutException("could not connect to the " + failures.engineName() + " for "
                        + what + " in time; is the address right and the engine up?", null, e);
            }
            throw failures.timeout(what, headersTimeout, e);
        } catch (IOException e) {
            if (Thread.interrupted()) {
                throw interrupted(what);
            }
            throw failures.failure(e, what, headersTimeout);
        }
        connection.onClose(() -> openPlaybacks.remove(connection));
        openPlaybacks.add(connection);
        if (closed) {
            // closeAll() ran while this hop connected: the exchange fails like any other on a closed client
            connection.close();
        }
        return connection;
    }

    /** The start of an error body, up to {@link AceEngineClient#MAX_ERROR_BODY_BYTES}; the rest is not read. */
    private static byte[] prefix(InputStream body) throws IOException {
        byte[] buffer = new byte[AceEngineClient.MAX_ERROR_BODY_BYTES];
        int n = 0;
        while (n < buffer.length) {
            int r = body.read(buffer, n, buffer.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return Arrays.copyOf(buffer, n);
    }

    private static InterruptedException interrupted(String what) {
        return new InterruptedException("interrupted while opening " + what);
    }
}
