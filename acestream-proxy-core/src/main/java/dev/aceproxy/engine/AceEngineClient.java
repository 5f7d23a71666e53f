package dev.aceproxy.engine;

import dev.aceproxy.engine.internal.SocketPlayback;
import dev.aceproxy.engine.internal.PlaybackAnswers;
import dev.aceproxy.engine.internal.HttpClientPlayback;
import dev.aceproxy.engine.internal.GetstreamCall;
import dev.aceproxy.engine.internal.EngineErrors;
import dev.aceproxy.engine.internal.EngineExchange;
import dev.aceproxy.engine.internal.EngineAddress;
import dev.aceproxy.engine.internal.ControlCalls;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Talks to one AceStream engine over its HTTP API: starts sessions, opens their playback, reads
 * their statistics, stops them, and probes the engine's health.
 *
 * <pre>{@code
 * try (AceEngineClient engine = AceEngineClient.newBuilder()
 *         .baseUri(URI.create("http://127.0.0.1:6878"))
 *         .build()) {
 *     EngineSession session = engine.startSession(ContentId.id(hex), Map.of());
 *     try (InputStream ts = engine.openPlayback(session)) {
 *         // read MPEG-TS until EOF
 *     } finally {
 *         engine.stop(session);
 *     }
 * }
 * }</pre>
 *
 * <p>Every url the engine returns is rewritten to the configured scheme, host and port, and the
 * client never sends a request to any other address. Every answer is read with a bound on its size
 * and time. Failures are {@link EngineException}s; an {@code InterruptedException} aborts the
 * request in progress and is thrown as is.
 *
 * <p>Instances are immutable and thread-safe. A client that created its own {@link HttpClient}
 * owns it and closes it in {@link #close()}; a client given an {@code HttpClient} never closes it,
 * and its {@code close()} only stops further use.
 */
public final class AceEngineClient implements AutoCloseable {

    /** The engine's default address. */
    public static final URI DEFAULT_BASE_URI = URI.create("http://127.0.0.1:6878");
    /** Default bound on the session start (getstream), from request to the end of the answer. */
    public static final Duration DEFAULT_GETSTREAM_TIMEOUT = Duration.ofSeconds(10);
    /** Default bound on the stop command; the engine can hang on it. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(3);
    /** Default bound on a statistics request and on the version probe. */
    public static final Duration DEFAULT_STAT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Default bound on opening a TCP connection to the engine: for the client's own
     * {@code HttpClient}, and for plain-http playbacks when a supplied {@code HttpClient} has none.
     */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Default bound on the time from opening the playback to its response headers, redirects
     * included. A cold start takes 10 to 25 s of peer discovery; the body itself has no bound.
     */
    public static final Duration DEFAULT_PLAYBACK_HEADERS_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@code User-Agent}: the engine is used to players. */
    public static final String DEFAULT_USER_AGENT = "VLC/3.0.21 LibVLC/3.0.21";
    /** Getstream parameters a caller may pass by default. */
    public static final Set<String> DEFAULT_ALLOWED_PARAMETERS =
            Set.of("transcode_audio", "transcode_mp3", "transcode_ac3", "preferred_audio_language");
    /**
     * Getstream parameters that are never passed through, whatever the allow-list says: the client
     * sets the content selector, player id and format itself, and {@code url}, {@code magnet} and
     * {@code direct_url} would make the engine fetch whatever they name.
     */
    public static final Set<String> FORBIDDEN_PARAMETERS =
            Set.of("url", "magnet", "direct_url", "content_id", "id", "infohash", "pid", "sid", "format");
    /** The largest JSON answer read from the engine, in bytes (1 MiB). */
    public static final int MAX_ANSWER_BYTES = 1 << 20;
    /** The most of an HTTP error body kept for its text, in bytes; the rest is not read. */
    public static final int MAX_ERROR_BODY_BYTES = 4096;
    /** The most redirects followed when opening a playback. */
    public static final int MAX_REDIRECTS = 5;

    private final EngineAddress engine;
    private final EngineExchange exchange;
    private final GetstreamCall getstream;
    private final ControlCalls control;
    private final SocketPlayback socketPlayback;
    private final HttpClientPlayback httpClientPlayback;
    private volatile boolean closed;

    private AceEngineClient(Builder b) {
        this.engine = EngineAddress.of(b.baseUri);
        EngineErrors failures = new EngineErrors(engine);
        Duration connectTimeout = b.httpClient == null
                ? b.connectTimeout
                : b.httpClient.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT);
        this.exchange = b.httpClient == null
                ? EngineExchange.ownClient(connectTimeout, b.userAgent, failures)
                : EngineExchange.through(b.httpClient, b.userAgent, failures);
        this.getstream = new GetstreamCall(engine, exchange, failures, b.getstreamTimeout, b.allowedParameters);
        this.control = new ControlCalls(engine, exchange, failures, b.statTimeout, b.stopTimeout);
        PlaybackAnswers answers = new PlaybackAnswers(engine, failures);
        this.socketPlayback = new SocketPlayback(engine, answers, failures, b.userAgent, connectTimeout,
                b.playbackHeadersTimeout);
        this.httpClientPlayback = new HttpClientPlayback(engine, exchange, answers, failures,
                b.playbackHeadersTimeout);
    }

    /**
     * Starts a builder with every setting at its default.
     *
     * @return a new builder
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Returns the configured engine address, the only address this client sends requests to.
     *
     * @return for example {@code http://127.0.0.1:6878}
     */
    public URI baseUri() {
        return engine.uri();
    }

    /**
     * Returns the getstream parameters callers may pass to {@link #startSession}.
     *
     * @return an unmodifiable set of parameter names
     */
    public Set<String> allowedParameters() {
        return getstream.allowedParameters();
    }

    /**
     * Asks the engine to start (or return the existing) session for a piece of content. The request
     * uses {@code format=json}, a fresh random {@code pid}, the content's {@code id} or
     * {@code infohash}, and the given extra parameters; it is bounded by the getstream timeout.
     * A redirect to another path on the engine's own host and port is followed (at most
     * {@link #MAX_REDIRECTS}, within the same timeout) and the JSON found there is the answer. The
     * answer may be framed by {@code Content-Length}, by chunks or by the connection's close.
     *
     * @param content the content to play
     * @param extraParameters further getstream parameters, each on the allow-list; may be empty
     * @return the session, with its urls rewritten to this client's engine address;
     *     {@link EngineSession#live()} and {@link EngineSession#encrypted()} are
     *     {@link EngineFlag#UNKNOWN} when the engine answered {@code -1}
     * @throws ContentRedirectedException if the engine redirected the call to another host or port,
     *     which is never requested (a {@link ContentUnavailableException}: a problem of the
     *     content, not of the engine)
     * @throws ContentUnavailableException if the engine answered with an error, such as
     *     {@code failed to load content}
     * @throws EngineUnavailableException if the engine cannot be reached or answered an HTTP error
     * @throws EngineTimeoutException if the engine did not answer within the getstream timeout
     * @throws EngineProtocolException if the answer is not the expected JSON or one of its urls is
     *     refused, or a redirect on the engine has no {@code Location}, breaks the path rules or
     *     comes more than {@link #MAX_REDIRECTS} times
     * @throws InterruptedException if the calling thread was interrupted; the request is aborted
     * @throws IllegalArgumentException if a parameter is forbidden or not on the allow-list, or a
     *     value is null
     * @throws IllegalStateException if the client is closed
     */
    public EngineSession startSession(ContentId content, Map<String, String> extraParameters)
            throws EngineException, InterruptedException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(extraParameters, "extraParameters");
        String query = getstream.query(content, extraParameters);
        checkOpen();
        return getstream.start(content, query);
    }

    /**
     * Opens the session's MPEG-TS stream. Redirects are followed (at most {@link #MAX_REDIRECTS})
     * only while they stay on this client's engine address. The time to the response headers is
     * bounded by the playback headers timeout; the body has no time bound, since a live stream
     * never ends.
     *
     * <p>An {@code http} playback is read over a socket of its own with blocking reads on the
     * calling thread (a virtual thread is the intended caller), not through the {@code HttpClient};
     * an {@code https} one goes through the {@code HttpClient}. The body is decoded from chunked
     * transfer coding or bounded by its {@code Content-Length} when the engine sends either; a body
     * cut short reads as an {@link java.io.EOFException}.
     *
     * <p>The engine serves one reader per session: open it once and share the bytes. Closing the
     * returned stream closes the connection, exactly once; it may be closed from another thread to
     * end a blocked read. Interrupting a virtual thread blocked in a read also closes it. The
     * caller owns the stream and must close it; {@link #close()} closes the ones still open.
     *
     * @param session a session this client started
     * @return the stream body, read until EOF
     * @throws EngineTimeoutException if the headers did not arrive in time, or the engine answered
     *     {@code 500 start timeout} (it gave up prebuffering; try again shortly)
     * @throws EngineUnavailableException if the engine cannot be reached or answered another HTTP
     *     error
     * @throws EngineProtocolException if a redirect leaves the engine's address or its path rules,
     *     there are too many redirects, the body is compressed, or the answer is malformed HTTP or
     *     breaks a bound (line, header count, head size)
     * @throws InterruptedException if the calling thread was interrupted; the request is aborted
     * @throws IllegalArgumentException if the session's playback url is not on this engine
     * @throws IllegalStateException if the client is closed
     */
    public InputStream openPlayback(EngineSession session) throws EngineException, InterruptedException {
        Objects.requireNonNull(session, "session");
        URI uri = onThisEngine(session.playbackUri(), "playback");
        checkOpen();
        String what = "the playback of " + session.content();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before opening " + what);
        }
        if (uri.getScheme().equals("http")) {
            return socketPlayback.open(uri, what);
        }
        return httpClientPlayback.open(uri, what);
    }

    /**
     * Reads the session's statistics, bounded by the stat timeout. Tolerates extra fields and
     * missing optional ones (which read as 0); a number the engine answers {@code -1} for is
     * {@link EngineStats#UNKNOWN}.
     *
     * @param session a session this client started
     * @return the statistics
     * @throws ContentUnavailableException if the engine answered with an error; for a stopped or
     *     expired session its text is {@code unknown playback session id}
     * @throws EngineUnavailableException if the engine cannot be reached or answered an HTTP error
     * @throws EngineTimeoutException if the engine did not answer within the stat timeout
     * @throws EngineProtocolException if the answer is not the expected JSON
     * @throws InterruptedException if the calling thread was interrupted; the request is aborted
     * @throws IllegalArgumentException if the session's stat url is not on this engine
     * @throws IllegalStateException if the client is closed
     */
    public EngineStats stats(EngineSession session) throws EngineException, InterruptedException {
        Objects.requireNonNull(session, "session");
        URI uri = onThisEngine(session.statUri(), "stat");
        checkOpen();
        return control.stats(session.content(), uri);
    }

    /**
     * Stops the session with {@code method=stop} on its command url, bounded by the short stop
     * timeout. A session the engine no longer knows ({@code unknown playback session id}) counts as
     * stopped. Stopping does not close a playback stream this client opened: close it whether or
     * not the stop succeeded.
     *
     * @param session a session this client started
     * @throws ContentUnavailableException if the engine answered with another error text
     * @throws EngineUnavailableException if the engine cannot be reached or answered an HTTP error
     * @throws EngineTimeoutException if the engine did not answer within the stop timeout
     * @throws EngineProtocolException if the answer is not the expected JSON
     * @throws InterruptedException if the calling thread was interrupted; the request is aborted
     * @throws IllegalArgumentException if the session's command url is not on this engine
     * @throws IllegalStateException if the client is closed
     */
    public void stop(EngineSession session) throws EngineException, InterruptedException {
        Objects.requireNonNull(session, "session");
        URI command = onThisEngine(session.commandUri(), "command");
        checkOpen();
        control.stop(session.content(), command);
    }

    /**
     * Asks the engine for its version ({@code /webui/api/service?method=get_version}), the usual
     * liveness probe; bounded by the stat timeout.
     *
     * @return what the engine says about itself
     * @throws EngineUnavailableException if the engine cannot be reached, answered an HTTP error, or
     *     answered with an error text
     * @throws EngineTimeoutException if the engine did not answer within the stat timeout
     * @throws EngineProtocolException if the answer is not the expected JSON
     * @throws InterruptedException if the calling thread was interrupted; the request is aborted
     * @throws IllegalStateException if the client is closed
     */
    public EngineVersion probe() throws EngineException, InterruptedException {
        checkOpen();
        return control.probe();
    }

    /**
     * Stops the client. Every plain-http playback stream still open is closed (a read blocked on
     * it fails). If it created its own {@link HttpClient}, that client is shut down now:
     * exchanges still open (an https playback being read) fail, and its threads end. A supplied
     * {@code HttpClient} is left alone. Later calls on this client throw
     * {@link IllegalStateException}. Idempotent. If the calling thread is interrupted while
     * waiting for the threads to end, it returns early with the interrupt status set.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        socketPlayback.closeAll();
        exchange.close();
    }

    /**
     * Describes the client by its engine address.
     *
     * @return for example {@code AceEngineClient[http://127.0.0.1:6878]}
     */
    @Override
    public String toString() {
        return "AceEngineClient[" + engine + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("engine client for " + engine + " is closed");
        }
    }

    private URI onThisEngine(URI uri, String which) {
        try {
            return engine.redirectTarget(uri);
        } catch (EngineAddress.UnsafeUri e) {
            throw new IllegalArgumentException("the session's " + which + " url is not one this client gave: "
                    + e.getMessage());
        }
    }

    /**
     * Collects the settings of an {@link AceEngineClient}. Each setter validates its argument at
     * once. Not thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder {

        private URI baseUri = DEFAULT_BASE_URI;
        private HttpClient httpClient;
        private Duration getstreamTimeout = DEFAULT_GETSTREAM_TIMEOUT;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private Duration statTimeout = DEFAULT_STAT_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private boolean connectTimeoutSet;
        private Duration playbackHeadersTimeout = DEFAULT_PLAYBACK_HEADERS_TIMEOUT;
        private String userAgent = DEFAULT_USER_AGENT;
        private Set<String> allowedParameters = DEFAULT_ALLOWED_PARAMETERS;

        private Builder() {
        }

        /**
         * Sets the engine's address; default {@link #DEFAULT_BASE_URI}. Every url the engine
         * returns is rewritten to this scheme, host and port.
         *
         * @param uri scheme, host and optional port, as in {@code http://127.0.0.1:6878}
         * @return this builder
         * @throws IllegalArgumentException if it is not http(s), names no host, carries user info, or
         *     has a path other than {@code /}, a query or a fragment
         */
        public Builder baseUri(URI uri) {
            EngineAddress.of(uri);
            this.baseUri = uri;
            return this;
        }

        /**
         * Uses the given {@code HttpClient} instead of creating one. The caller keeps owning it: the
         * engine client never closes it. It must not follow redirects itself, so that this client
         * can refuse redirects to other hosts; HTTP/1.1 is requested on every call.
         *
         * @param client the client to use
         * @return this builder
         * @throws IllegalArgumentException if {@code client} is null or follows redirects
         */
        public Builder httpClient(HttpClient client) {
            if (client == null) {
                throw new IllegalArgumentException("httpClient is null");
            }
            if (client.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("the supplied HttpClient must use HttpClient.Redirect.NEVER,"
                        + " found " + client.followRedirects() + ": the engine client follows redirects itself"
                        + " so that it can refuse other hosts");
            }
            this.httpClient = client;
            return this;
        }

        /**
         * Bounds the session start (getstream), from request to the whole answer; default
         * {@link #DEFAULT_GETSTREAM_TIMEOUT}.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if it is null, zero or negative
         */
        public Builder getstreamTimeout(Duration timeout) {
            this.getstreamTimeout = positive("getstreamTimeout", timeout);
            return this;
        }

        /**
         * Bounds the stop command; default {@link #DEFAULT_STOP_TIMEOUT}.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if it is null, zero or negative
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = positive("stopTimeout", timeout);
            return this;
        }

        /**
         * Bounds a statistics request and the version probe; default {@link #DEFAULT_STAT_TIMEOUT}.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if it is null, zero or negative
         */
        public Builder statTimeout(Duration timeout) {
            this.statTimeout = positive("statTimeout", timeout);
            return this;
        }

        /**
         * Bounds opening a TCP connection; default {@link #DEFAULT_CONNECT_TIMEOUT}. Applies to the
         * client's own {@code HttpClient} and to plain-http playbacks. With a supplied
         * {@code HttpClient}, both use that client's own setting (the default when it has none).
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if it is null, zero or negative
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            this.connectTimeoutSet = true;
            return this;
        }

        /**
         * Bounds the time from opening a playback to its response headers, redirects included;
         * default {@link #DEFAULT_PLAYBACK_HEADERS_TIMEOUT}. The body has no time bound.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if it is null, zero or negative
         */
        public Builder playbackHeadersTimeout(Duration timeout) {
            this.playbackHeadersTimeout = positive("playbackHeadersTimeout", timeout);
            return this;
        }

        /**
         * Sets the {@code User-Agent} of every request; default {@link #DEFAULT_USER_AGENT}.
         *
         * @param userAgent a non-blank value of printable ASCII
         * @return this builder
         * @throws IllegalArgumentException if it is null, blank or has other characters
         */
        public Builder userAgent(String userAgent) {
            this.userAgent = EngineExchange.checkUserAgent(userAgent);
            return this;
        }

        /**
         * Sets the getstream parameters callers may pass; default
         * {@link #DEFAULT_ALLOWED_PARAMETERS}. The names in {@link #FORBIDDEN_PARAMETERS} can never
         * be allowed.
         *
         * @param names parameter names of letters, digits and underscores; may be empty
         * @return this builder
         * @throws IllegalArgumentException if the set or a name is null, a name is malformed, or a
         *     name is forbidden
         */
        public Builder allowedParameters(Set<String> names) {
            this.allowedParameters = GetstreamCall.allowable(names);
            return this;
        }

        /**
         * Builds the client. Without a supplied {@code HttpClient} it creates its own (HTTP/1.1, no
         * redirects, the connect timeout, named virtual threads), which {@link #close()} shuts down.
         *
         * @return a new client
         * @throws IllegalStateException if both a supplied {@code HttpClient} and a connect timeout
         *     were set (the supplied client's own setting would silently win)
         */
        public AceEngineClient build() {
            if (httpClient != null && connectTimeoutSet) {
                throw new IllegalStateException("connectTimeout applies only to the engine client's own HttpClient;"
                        + " set it on the supplied HttpClient instead");
            }
            return new AceEngineClient(this);
        }

        private static Duration positive(String name, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
            }
            return value;
        }
    }
}
