package dev.aceproxy.jetty;

import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.jetty.internal.ChannelRequest;
import dev.aceproxy.jetty.internal.ClientPresence;
import dev.aceproxy.jetty.internal.ConnectionAbort;
import dev.aceproxy.jetty.internal.HttpProblem;
import dev.aceproxy.jetty.internal.JsonResponses;
import dev.aceproxy.jetty.internal.QueryParameters;
import dev.aceproxy.jetty.internal.EndPointClientSink;
import dev.aceproxy.jetty.internal.StreamRequest;
import dev.aceproxy.jetty.playlist.ChannelDirectory;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.registry.Subscription;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * {@code GET}/{@code HEAD /ace/getstream?id=<40 hex>} (or {@code ?infohash=}): a player's MPEG-TS
 * stream, shared with every other player of the same content through the {@link StreamRegistry}.
 *
 * <p>On success the answer is {@code 200 video/mp2t}, streamed as the engine delivers it, until the
 * session ends; a player that disconnects leaves at once. {@code HEAD} answers the same headers
 * without touching any engine. Before the first byte, failures are JSON errors
 * ({@code {"error": code, "message": text}}): 400 bad request, 404 content the engine cannot load,
 * 405 another method, 503 (with {@code Retry-After}) at a limit, while draining or with no healthy
 * engine (at once: a session without data is not joined then), 502 an
 * engine failure or nonsense, 504 an engine that did not answer in time. After the first byte a
 * failure aborts the connection: nothing but MPEG-TS is ever written into a stream. The answer to
 * each failure is {@link FailureAnswer#standard}'s; a subclass chooses others by overriding
 * {@link #failureAnswer}.
 *
 * <p>Register it at {@code /ace/getstream} (and {@code /ace/getstream/}) of a Jetty 12 ee11
 * {@code ServletContextHandler}; request handling on virtual threads is strongly advised, since
 * each player holds its request thread for the length of the stream. Thread-safe.
 */
public class StreamServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The content type of every stream. */
    public static final String CONTENT_TYPE = "video/mp2t";

    private static final String ALLOW = "GET, HEAD";

    private static final System.Logger LOG = System.getLogger(StreamServlet.class.getName());

    private final transient StreamRegistry registry;
    private final transient Duration unavailableRetryAfter;
    private final transient Set<String> engineParameters;
    private final transient ChannelDirectory channels;

    /**
     * Creates the servlet with {@link EndpointOptions#DEFAULT_RETRY_AFTER} for a 503 when no engine
     * is healthy.
     *
     * @param registry the registry that owns the sessions; not closed by the servlet
     */
    public StreamServlet(StreamRegistry registry) {
        this(registry, EndpointOptions.DEFAULT_RETRY_AFTER);
    }

    /**
     * Creates the servlet.
     *
     * @param registry the registry that owns the sessions; not closed by the servlet
     * @param unavailableRetryAfter the {@code Retry-After} of a 503 when no engine is healthy
     * @throws IllegalArgumentException if the delay is negative or zero
     */
    public StreamServlet(StreamRegistry registry, Duration unavailableRetryAfter) {
        this(registry, unavailableRetryAfter, ChannelDirectory.NONE);
    }

    /**
     * Creates the servlet with channels: {@code ?channel=NAME} plays the directory's channel of
     * that name, failing over across its alternates (see
     * {@link StreamRegistry#subscribe(dev.aceproxy.registry.Channel, java.util.Map,
     * dev.aceproxy.fanout.ClientSink, ClientInfo)}). An unknown name answers 404; a channel none
     * of whose alternates loads answers 502 {@code channel_unavailable}.
     *
     * @param registry the registry that owns the sessions; not closed by the servlet
     * @param unavailableRetryAfter the {@code Retry-After} of a 503 when no engine is healthy
     * @param channels where channel names are looked up
     * @throws IllegalArgumentException if the delay is negative or zero
     */
    public StreamServlet(StreamRegistry registry, Duration unavailableRetryAfter, ChannelDirectory channels) {
        this.channels = Objects.requireNonNull(channels, "channels");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.unavailableRetryAfter = Objects.requireNonNull(unavailableRetryAfter, "unavailableRetryAfter");
        if (unavailableRetryAfter.isNegative() || unavailableRetryAfter.isZero()) {
            throw new IllegalArgumentException("unavailableRetryAfter must be positive");
        }
        this.engineParameters = registry.allowedParameters();
    }

    /**
     * Serves one request; see the class description for the outcomes.
     *
     * @param request the request
     * @param response the response
     * @throws IOException if an error body cannot be written
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        try {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw HttpProblem.methodNotAllowed(method, ALLOW);
            }
            QueryParameters query = QueryParameters.parse(request.getQueryString());
            Start start;
            if (query.has(ChannelRequest.PARAMETER)) {
                ChannelRequest channel = ChannelRequest.parse(query, engineParameters, channels);
                start = (sink, client) -> registry.subscribe(channel.channel(), channel.parameters(), sink, client);
            } else {
                StreamRequest stream = StreamRequest.parse(query, engineParameters);
                start = (sink, client) -> registry.subscribe(stream.content(), stream.parameters(), sink, client);
            }
            successHeaders(response);
            if (method.equals("HEAD")) {
                response.flushBuffer();
                return;
            }
            play(request, response, start);
        } catch (HttpProblem problem) {
            if (!JsonResponses.sendError(response, problem)) {
                ConnectionAbort.of(request, problem.getMessage()).run();
            }
        }
    }

    /** Starts or joins the session a request names. */
    @FunctionalInterface
    private interface Start {
        Subscription subscribe(ClientSink sink, ClientInfo client) throws Exception;
    }

    private void play(HttpServletRequest request, HttpServletResponse response, Start start)
            throws IOException, HttpProblem {
        ConnectionAbort abort = ConnectionAbort.of(request, "stream aborted");
        ClientSink sink = EndPointClientSink.of(request, response, abort);
        ClientInfo client = ClientInfo.of(request.getRemoteAddr(), request.getHeader("User-Agent"));
        Subscription subscription;
        try {
            // A stream's start can take the engine tens of seconds: a player that leaves meanwhile
            // ends its wait, and a start nobody waits for any more is abandoned by the registry.
            subscription = ClientPresence.of(request).interruptWhenGone(
                    () -> start.subscribe(sink, client));
        } catch (ClientPresence.ClientGoneException gone) {
            if (gone.result() instanceof Subscription late) {
                late.close();
            }
            abort.run();
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HttpProblem.unavailable("shutting_down", "the proxy is shutting down", unavailableRetryAfter);
        } catch (IOException e) {
            throw HttpProblem.of(failureAnswer(e));
        } catch (IllegalStateException e) {
            throw HttpProblem.unavailable("shutting_down", "the proxy is shutting down", unavailableRetryAfter);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_parameter", e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // registry.subscribe throws nothing else
            throw new IllegalStateException(e);
        }
        StreamEnd end;
        try {
            end = subscription.ended().get();
        } catch (InterruptedException e) {
            subscription.close();
            Thread.currentThread().interrupt();
            abort.run();
            return;
        } catch (ExecutionException e) {
            subscription.close();
            abort.run();
            return;
        } finally {
            subscription.close();
        }
        finish(request, response, end, abort);
    }

    private static void finish(HttpServletRequest request, HttpServletResponse response, StreamEnd end,
                               ConnectionAbort abort) throws IOException, HttpProblem {
        EndReason reason = end.reason();
        boolean clean = reason == EndReason.STREAM_ENDED || reason == EndReason.SHUTDOWN
                || reason == EndReason.REMOVED || reason == EndReason.CLIENT_CLOSED;
        if (clean) {
            return;
        }
        if (!response.isCommitted() && reason == EndReason.STREAM_FAILED) {
            // The detail can name the engine's urls: it goes to the log, not to the client.
            end.detail().ifPresent(d -> LOG.log(System.Logger.Level.INFO, "stream failed before any data: " + d));
            throw HttpProblem.of(502, "stream_failed", "the engine's stream failed before any data");
        }
        abort.run();
    }

    private static void successHeaders(HttpServletResponse response) {
        response.setStatus(200);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
    }

    /**
     * Chooses the answer to a failure to start or join a stream, before any byte of it was sent.
     * Override it to answer differently (another status, code or message); the default is
     * {@link FailureAnswer#standard}. Called on the request's thread; it must not block.
     *
     * @param failure what the registry threw: a {@link dev.aceproxy.engine.EngineException}, a
     *     {@link dev.aceproxy.registry.SubscriptionRefusedException}, or another {@link IOException}
     * @return the answer the player gets
     */
    protected FailureAnswer failureAnswer(IOException failure) {
        return FailureAnswer.standard(failure, unavailableRetryAfter);
    }
}
