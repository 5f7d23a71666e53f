package dev.aceproxy.engine;

import dev.aceproxy.engine.internal.MalformedHttpException;
import dev.aceproxy.engine.internal.ResponseHead;
import dev.aceproxy.internal.json.JsonObject;
import dev.aceproxy.internal.json.JsonParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

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

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final String UNKNOWN_SESSION = "unknown playback session id";
    private static final String START_TIMEOUT = "start timeout";
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final EngineAddress engine;
    private final HttpClient http;
    private final ExecutorService ownExecutor;
    private final Duration getstreamTimeout;
    private final Duration stopTimeout;
    private final Duration statTimeout;
    private final Duration playbackHeadersTimeout;
    private final Duration connectTimeout;
    private final String userAgent;
    private final Set<String> allowedParameters;
    private final Set<PlaybackConnection> openPlaybacks = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private AceEngineClient(Builder b) {
        this.engine = EngineAddress.of(b.baseUri);
        this.getstreamTimeout = b.getstreamTimeout;
        this.stopTimeout = b.stopTimeout;
        this.statTimeout = b.statTimeout;
        this.playbackHeadersTimeout = b.playbackHeadersTimeout;
        this.userAgent = b.userAgent;
        this.allowedParameters = Set.copyOf(b.allowedParameters);
        if (b.httpClient != null) {
            this.http = b.httpClient;
            this.ownExecutor = null;
            this.connectTimeout = b.httpClient.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT);
        } else {
            this.connectTimeout = b.connectTimeout;
            this.ownExecutor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("aceproxy-engine-http-", 0).factory());
            this.http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(b.connectTimeout)
                    .executor(ownExecutor)
                    .build();
        }
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
        return allowedParameters;
    }

    /**
     * Asks the engine to start (or return the existing) session for a piece of content. The request
     * uses {@code format=json}, a fresh random {@code pid}, the content's {@code id} or
     * {@code infohash}, and the given extra parameters; it is bounded by the getstream timeout.
     *
     * @param content the content to play
     * @param extraParameters further getstream parameters, each on the allow-list; may be empty
     * @return the session, with its urls rewritten to this client's engine address
     * @throws ContentUnavailableException if the engine answered with an error, such as
     *     {@code failed to load content}
     * @throws EngineUnavailableException if the engine cannot be reached or answered an HTTP error
     * @throws EngineTimeoutException if the engine did not answer within the getstream timeout
     * @throws EngineProtocolException if the answer is not the expected JSON or one of its urls is
     *     refused
     * @throws InterruptedException if the calling thread was interrupted; the request is aborted
     * @throws IllegalArgumentException if a parameter is forbidden or not on the allow-list, or a
     *     value is null
     * @throws IllegalStateException if the client is closed
     */
    public EngineSession startSession(ContentId content, Map<String, String> extraParameters)
            throws EngineException, InterruptedException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(extraParameters, "extraParameters");
        String query = getstreamQuery(content, extraParameters);
        checkOpen();
        String what = "the session start for " + content;
        byte[] body = jsonCall(engine.resolve("/ace/getstream?" + query), getstreamTimeout, what);
        JsonObject answer = parse(body, what);
        try {
            Optional<String> error = EngineAnswers.error(answer);
            if (error.isPresent()) {
                throw new ContentUnavailableException(
                        engineName() + " cannot play " + content + ": " + error.get(), error.get(), null);
            }
            EngineSession session = EngineAnswers.session(content, answer.object("response"), engine);
            LOG.log(Level.DEBUG, () -> "started " + content + ": infohash " + session.infohash()
                    + ", playback " + session.playbackUri());
            return session;
        } catch (JsonParseException e) {
            throw protocol(what, e);
        } catch (EngineAddress.UnsafeUri e) {
            throw new EngineProtocolException(engineName() + " answered " + what + " with a url this client "
                    + "will not follow: " + e.getMessage());
        }
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
            return openPlaybackOverSocket(uri, what);
        }
        return openPlaybackThroughHttpClient(uri, what);
    }

    /**
     * Reads a plain-http playback over a socket of its own, on the calling thread: a live stream
     * is a long run of small reads, and blocking reads on the pump's own thread cost a fraction of
     * the {@code HttpClient}'s selector thread and per-delivery tasks (see docs/engine-client.md).
     */
    private InputStream openPlaybackOverSocket(URI start, String what) throws EngineException, InterruptedException {
        URI uri = start;
        long deadline = System.nanoTime() + playbackHeadersTimeout.toNanos();
        for (int hop = 0; ; hop++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(what, playbackHeadersTimeout, null);
            }
            long started = System.nanoTime();
            PlaybackConnection connection = connect(uri, what, remaining, deadline);
            boolean handedOut = false;
            try {
                connection.sendGet(uri, List.of("User-Agent: " + userAgent, "Accept-Encoding: identity"));
                ResponseHead head = connection.readHead();
                int status = head.status();
                logAnswer(what, uri, status, started);
                if (status == 200) {
                    String encoding = head.first("Content-Encoding").orElse("identity");
                    if (!encoding.equalsIgnoreCase("identity")) {
                        throw compressed(what, encoding);
                    }
                    InputStream body = connection.body(head);
                    connection.headRead();
                    handedOut = true;
                    return new PlaybackStream(body, connection, what + " from " + engine);
                }
                if (isRedirect(status)) {
                    if (hop >= MAX_REDIRECTS) {
                        throw tooManyRedirects(what);
                    }
                    uri = redirectTarget(uri, status, head.first("Location").orElse(null), what);
                    continue;
                }
                throw refusal(what, status, EngineAnswers.errorText(prefix(connection.body(head))));
            } catch (EngineException e) {
                throw e;
            } catch (MalformedHttpException e) {
                throw new EngineProtocolException(engineName() + " answered " + what + " with malformed HTTP: "
                        + e.getMessage(), null, e);
            } catch (SocketTimeoutException e) {
                if (Thread.interrupted()) {
                    throw interrupted(what);
                }
                LOG.log(Level.DEBUG, () -> what + ": no answer from " + start + " within "
                        + describe(playbackHeadersTimeout));
                throw timeout(what, playbackHeadersTimeout, e);
            } catch (InterruptedIOException e) {
                Thread.interrupted();
                throw interrupted(what);
            } catch (IOException e) {
                if (Thread.interrupted()) {
                    throw interrupted(what);
                }
                LOG.log(Level.DEBUG, () -> what + ": request to " + start + " failed: " + e);
                throw failure(e, what, playbackHeadersTimeout);
            } finally {
                if (!handedOut) {
                    connection.close();
                }
            }
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
                throw new EngineTimeoutException("could not connect to the " + engineName() + " for " + what
                        + " in time; is the address right and the engine up?", null, e);
            }
            throw timeout(what, playbackHeadersTimeout, e);
        } catch (IOException e) {
            if (Thread.interrupted()) {
                throw interrupted(what);
            }
            throw failure(e, what, playbackHeadersTimeout);
        }
        connection.onClose(() -> openPlaybacks.remove(connection));
        openPlaybacks.add(connection);
        if (closed) {
            // close() ran while this hop connected: the exchange fails like any other on a closed client
            connection.close();
        }
        return connection;
    }

    /** The start of an error body, up to {@link #MAX_ERROR_BODY_BYTES}; the rest is not read. */
    private static byte[] prefix(InputStream body) throws IOException {
        byte[] buffer = new byte[MAX_ERROR_BODY_BYTES];
        int n = 0;
        while (n < buffer.length) {
            int r = body.read(buffer, n, buffer.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return java.util.Arrays.copyOf(buffer, n);
    }

    private static InterruptedException interrupted(String what) {
        return new InterruptedException("interrupted while opening " + what);
    }

    /** Opens an https playback through the {@code HttpClient} (it brings TLS). */
    private InputStream openPlaybackThroughHttpClient(URI first, String what)
            throws EngineException, InterruptedException {
        URI uri = first;
        long deadline = System.nanoTime() + playbackHeadersTimeout.toNanos();
        for (int hop = 0; ; hop++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeout(what, playbackHeadersTimeout, null);
            }
            HttpRequest request = request(uri, Duration.ofNanos(remaining))
                    .header("Accept-Encoding", "identity")
                    .build();
            long start = System.nanoTime();
            HttpResponse<PlaybackAnswer> response = exchange(request, AceEngineClient::playbackAnswer,
                    remaining, what, playbackHeadersTimeout, r -> r.body().release());
            int status = response.statusCode();
            logAnswer(what, uri, status, start);
            if (status == 200) {
                InputStream body = response.body().stream();
                String encoding = response.headers().firstValue("Content-Encoding").orElse("identity");
                if (!encoding.equalsIgnoreCase("identity")) {
                    response.body().release();
                    throw compressed(what, encoding);
                }
                return new PlaybackStream(body, body, what + " from " + engine);
            }
            if (isRedirect(status)) {
                response.body().release();
                if (hop >= MAX_REDIRECTS) {
                    throw tooManyRedirects(what);
                }
                uri = redirectTarget(uri, status, response.headers().firstValue("Location").orElse(null), what);
                continue;
            }
            throw refusal(what, status, EngineAnswers.errorText(response.body().errorBody()));
        }
    }

    private EngineProtocolException compressed(String what, String encoding) {
        return new EngineProtocolException(engineName() + " answered " + what
                + " with a compressed body (Content-Encoding " + EngineAnswers.clean(encoding)
                + ") although identity was asked for");
    }

    private EngineProtocolException tooManyRedirects(String what) {
        return new EngineProtocolException(engineName() + " redirected " + what + " more than "
                + MAX_REDIRECTS + " times");
    }

    /** The failure for a playback answer that is neither 200 nor a redirect. */
    private EngineException refusal(String what, int status, String text) {
        if (status == 500 && text.equalsIgnoreCase(START_TIMEOUT)) {
            return new EngineTimeoutException(engineName() + " gave up starting " + what
                    + " (HTTP 500 " + text + "): the content is still prebuffering or has no peers;"
                    + " try again shortly", text, null);
        }
        if (status >= 200 && status < 300) {
            return new EngineProtocolException(engineName() + " answered " + what + " with HTTP " + status
                    + " instead of 200");
        }
        return httpError(what, status, text);
    }

    /**
     * Reads the session's statistics, bounded by the stat timeout. Tolerates extra fields and
     * missing optional ones (which read as 0).
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
        String what = "the statistics request for " + session.content();
        JsonObject answer = parse(jsonCall(uri, statTimeout, what), what);
        try {
            Optional<String> error = EngineAnswers.error(answer);
            if (error.isPresent()) {
                throw new ContentUnavailableException(engineName() + " refused " + what + ": " + error.get(),
                        error.get(), null);
            }
            return EngineAnswers.stats(answer.object("response"));
        } catch (JsonParseException e) {
            throw protocol(what, e);
        }
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
        URI uri = URI.create(command + (command.getRawQuery() == null ? "?" : "&") + "method=stop");
        String what = "the stop command for " + session.content();
        JsonObject answer = parse(jsonCall(uri, stopTimeout, what), what);
        try {
            Optional<String> error = EngineAnswers.error(answer);
            if (error.isPresent()) {
                if (error.get().equalsIgnoreCase(UNKNOWN_SESSION)) {
                    LOG.log(Level.DEBUG, () -> "engine no longer knew the session of " + session.content());
                    return;
                }
                throw new ContentUnavailableException(engineName() + " refused " + what + ": " + error.get(),
                        error.get(), null);
            }
        } catch (JsonParseException e) {
            throw protocol(what, e);
        }
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
        String what = "the version probe";
        JsonObject answer = parse(jsonCall(engine.resolve("/webui/api/service?method=get_version"),
                statTimeout, what), what);
        try {
            Optional<String> error = EngineAnswers.error(answer);
            if (error.isPresent()) {
                throw new EngineUnavailableException(engineName() + " answered " + what + " with an error: "
                        + error.get(), error.get(), null);
            }
            return EngineAnswers.version(answer.object("result"));
        } catch (JsonParseException e) {
            throw protocol(what, e);
        }
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
        for (PlaybackConnection connection : openPlaybacks) {
            connection.close();
        }
        if (ownExecutor == null) {
            return;
        }
        http.shutdownNow();
        try {
            http.awaitTermination(CLOSE_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ownExecutor.shutdownNow();
        }
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

    private String engineName() {
        return "AceStream engine at " + engine;
    }

    private String getstreamQuery(ContentId content, Map<String, String> extra) {
        StringBuilder query = new StringBuilder()
                .append("format=json&")
                .append(content.kind().parameter()).append('=').append(content.hex())
                .append("&pid=").append(UUID.randomUUID());
        for (Map.Entry<String, String> parameter : new TreeMap<>(extra).entrySet()) {
            String name = parameter.getKey();
            if (FORBIDDEN_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
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

    private URI onThisEngine(URI uri, String which) {
        try {
            return engine.redirectTarget(uri);
        } catch (EngineAddress.UnsafeUri e) {
            throw new IllegalArgumentException("the session's " + which + " url is not one this client gave: "
                    + e.getMessage());
        }
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri)
                .GET()
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(timeout)
                .header("User-Agent", userAgent);
    }

    /** One bounded JSON call: returns the body of a 2xx answer, or throws the precise failure. */
    private byte[] jsonCall(URI uri, Duration timeout, String what) throws EngineException, InterruptedException {
        HttpRequest request = request(uri, timeout).header("Accept", "application/json").build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = exchange(request,
                info -> info.statusCode() / 100 == 2
                        ? BoundedBody.complete(MAX_ANSWER_BYTES)
                        : BoundedBody.prefix(MAX_ERROR_BODY_BYTES),
                timeout.toNanos(), what, timeout, r -> { });
        int status = response.statusCode();
        logAnswer(what, uri, status, start);
        if (status / 100 == 2) {
            return response.body();
        }
        if (isRedirect(status)) {
            throw new EngineProtocolException(engineName() + " answered " + what + " with a redirect (HTTP "
                    + status + ") where JSON was expected");
        }
        throw httpError(what, status, EngineAnswers.errorText(response.body()));
    }

    private JsonObject parse(byte[] body, String what) throws EngineProtocolException {
        try {
            return EngineAnswers.parse(body);
        } catch (JsonParseException e) {
            throw new EngineProtocolException(engineName() + " answered " + what
                    + " with a body that is not the expected JSON: " + e.getMessage(), null, e);
        }
    }

    private EngineProtocolException protocol(String what, JsonParseException e) {
        return new EngineProtocolException(engineName() + " answered " + what
                + " with JSON this client does not understand: " + e.getMessage(), null, e);
    }

    private EngineUnavailableException httpError(String what, int status, String text) {
        return new EngineUnavailableException(engineName() + " answered " + what + " with HTTP " + status
                + (text.isEmpty() ? "" : ": " + text), text.isEmpty() ? null : text, null);
    }

    private EngineTimeoutException timeout(String what, Duration bound, Throwable cause) {
        return new EngineTimeoutException(engineName() + " did not answer " + what + " within "
                + describe(bound) + "; is the engine overloaded or hung?", null, cause);
    }

    /**
     * Sends a request and waits for its answer, at most {@code timeoutNanos}. On a timeout or an
     * interrupt the exchange is cancelled, which closes its connection; an answer that completed
     * in the meantime is handed to {@code release} when it will not be returned.
     */
    private <T> HttpResponse<T> exchange(HttpRequest request, BodyHandler<T> handler, long timeoutNanos,
                                         String what, Duration bound, Consumer<HttpResponse<T>> release)
            throws EngineException, InterruptedException {
        CompletableFuture<HttpResponse<T>> answer;
        try {
            answer = http.sendAsync(request, handler);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // a supplied HttpClient that was shut down, or one that refuses the request
            throw new EngineUnavailableException(engineName() + " cannot be asked " + what + ": " + e.getMessage(),
                    null, e);
        }
        try {
            return answer.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.DEBUG, () -> what + ": no answer from " + request.uri() + " within " + describe(bound));
            if (!answer.cancel(true) && answer.isDone() && !answer.isCompletedExceptionally()) {
                return answer.join();
            }
            throw timeout(what, bound, e);
        } catch (InterruptedException e) {
            if (!answer.cancel(true) && answer.isDone() && !answer.isCompletedExceptionally()) {
                release.accept(answer.join());
            }
            throw e;
        } catch (ExecutionException | CancellationException e) {
            LOG.log(Level.DEBUG, () -> what + ": request to " + request.uri() + " failed: " + e.getCause());
            throw failure(e, what, bound);
        }
    }

    private EngineException failure(Throwable thrown, String what, Duration bound) {
        Throwable cause = thrown;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof BoundedBody.TooLarge) {
            return new EngineProtocolException(engineName() + " answered " + what + " with a body larger than "
                    + MAX_ANSWER_BYTES + " bytes", null, cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new EngineTimeoutException("could not connect to the " + engineName() + " for " + what
                    + " in time; is the address right and the engine up?", null, cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return timeout(what, bound, cause);
        }
        if (cause instanceof ConnectException) {
            return new EngineUnavailableException(engineName() + " refused the connection for " + what
                    + "; is the engine running and listening there?", null, cause);
        }
        if (cause instanceof IOException) {
            return new EngineUnavailableException("the connection to the " + engineName() + " failed during "
                    + what + ": " + cause, null, cause);
        }
        if (cause instanceof CancellationException) {
            return new EngineUnavailableException(engineName() + ": " + what + " was cancelled", null, cause);
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new EngineUnavailableException("the connection to the " + engineName() + " failed during "
                + what + ": " + cause, null, cause);
    }

    private URI redirectTarget(URI from, int status, String location, String what)
            throws EngineProtocolException {
        if (location == null) {
            throw new EngineProtocolException(engineName() + " redirected " + what + " (HTTP "
                    + status + ") without a Location");
        }
        try {
            URI target = engine.redirectTarget(from.resolve(new URI(location)));
            LOG.log(Level.DEBUG, () -> what + " redirected to " + target);
            return target;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new EngineProtocolException(engineName() + " redirected " + what + " to "
                    + EngineAnswers.clean(location) + ", which cannot be parsed");
        } catch (EngineAddress.UnsafeUri e) {
            throw new EngineProtocolException(engineName() + " redirected " + what + " to "
                    + EngineAnswers.clean(location) + ", which is refused: " + e.getMessage());
        }
    }

    private void logAnswer(String what, URI uri, int status, long startNanos) {
        LOG.log(Level.DEBUG, () -> what + ": HTTP " + status + " from " + uri + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static HttpResponse.BodySubscriber<PlaybackAnswer> playbackAnswer(HttpResponse.ResponseInfo info) {
        if (info.statusCode() == 200) {
            return BodySubscribers.mapping(BodySubscribers.ofInputStream(), PlaybackAnswer::streaming);
        }
        return BodySubscribers.mapping(BoundedBody.prefix(MAX_ERROR_BODY_BYTES), PlaybackAnswer::refused);
    }

    static String describe(Duration d) {
        long millis = d.toMillis();
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return millis + " ms";
    }

    /** A playback answer: the open body of a 200, or the start of any other answer's body. */
    private record PlaybackAnswer(InputStream stream, byte[] errorBody) {

        static PlaybackAnswer streaming(InputStream stream) {
            return new PlaybackAnswer(stream, null);
        }

        static PlaybackAnswer refused(byte[] body) {
            return new PlaybackAnswer(null, body);
        }

        void release() {
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "closing an unused playback body failed", e);
                }
            }
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
            if (userAgent == null || userAgent.isBlank()) {
                throw new IllegalArgumentException("userAgent must not be blank");
            }
            for (int i = 0; i < userAgent.length(); i++) {
                char c = userAgent.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    throw new IllegalArgumentException("userAgent must be printable ASCII, character " + (i + 1)
                            + " is " + String.format("U+%04X", (int) c));
                }
            }
            this.userAgent = userAgent;
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
            if (names == null) {
                throw new IllegalArgumentException("allowedParameters is null");
            }
            for (String name : names) {
                if (name == null || !PARAMETER_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("getstream parameter name must be 1 to 64 letters, digits or"
                            + " underscores: " + (name == null ? "null" : "\"" + EngineAnswers.clean(name) + "\""));
                }
                if (FORBIDDEN_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("getstream parameter \"" + name
                            + "\" can never be allowed: the client sets it itself or it would make the engine"
                            + " fetch what it names");
                }
            }
            this.allowedParameters = Set.copyOf(names);
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
