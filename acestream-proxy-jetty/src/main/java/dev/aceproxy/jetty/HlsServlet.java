package dev.aceproxy.jetty;

import dev.aceproxy.hls.HlsService;
import dev.aceproxy.hls.MediaPlaylist;
import dev.aceproxy.hls.Segment;
import dev.aceproxy.jetty.internal.ChannelRequest;
import dev.aceproxy.jetty.internal.ConnectionAbort;
import dev.aceproxy.jetty.internal.HttpProblem;
import dev.aceproxy.jetty.internal.JsonResponses;
import dev.aceproxy.jetty.internal.QueryParameters;
import dev.aceproxy.jetty.internal.SegmentRequest;
import dev.aceproxy.jetty.internal.StreamRequest;
import dev.aceproxy.jetty.playlist.ChannelDirectory;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.ts.Chunk;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * HLS from the shared stream: {@code GET}/{@code HEAD /ace/manifest.m3u8?id=<40 hex>} (or
 * {@code ?infohash=}, or {@code ?channel=NAME} with a {@link ChannelDirectory}: the channel, with
 * failover across its alternates) answers the live media playlist, and the segment path it lists
 * ({@value #SEGMENT_NAME}, relative to the playlist) answers the segments. The playlist request
 * takes the same parameters and gives the same errors as {@code /ace/getstream} (see
 * {@link StreamServlet}); it starts or joins the content's one engine session and waits, up to the
 * {@link dev.aceproxy.hls.HlsPolicy#startTimeout()}, for the first segment.
 *
 * <p>Segments are immutable ({@code Cache-Control: public, max-age=86400, immutable}); the
 * playlist lives one second. A segment that is not held (never made, or out of the window) answers
 * 404 with a JSON body, and a segment request never starts anything. With an access token,
 * segment uris carry it as {@code token=}. {@code HEAD} of the playlist validates and answers the
 * headers without touching any engine. Thread-safe; the {@link HlsService} is the caller's.
 */
public class HlsServlet extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The content type of the playlist. */
    public static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    /** The file name of segment uris, relative to the playlist's. */
    public static final String SEGMENT_NAME = "hls-segment.ts";
    /** Segments never change: a cache may keep them a day. */
    public static final String SEGMENT_CACHE_CONTROL = "public, max-age=86400, immutable";
    /** The playlist changes every segment: a cache may keep it one second. */
    public static final String PLAYLIST_CACHE_CONTROL = "public, max-age=1";

    private static final String ALLOW = "GET, HEAD";

    private final transient HlsService hls;
    private final transient StreamRegistry registry;
    private final transient Duration unavailableRetryAfter;
    private final transient Optional<String> accessToken;
    private final transient Set<String> engineParameters;
    private final transient ChannelDirectory channels;

    /**
     * Creates the servlet.
     *
     * @param hls the HLS service
     * @param registry the registry the service runs on
     * @param options the access token (carried by segment uris) and the 503 delay
     * @throws NullPointerException if an argument is null
     */
    public HlsServlet(HlsService hls, StreamRegistry registry, EndpointOptions options) {
        this(hls, registry, options, ChannelDirectory.NONE);
    }

    /**
     * Creates the servlet with channels: {@code ?channel=NAME} plays the directory's channel of
     * that name, failing over across its alternates; an unknown name answers 404.
     *
     * @param hls the HLS service
     * @param registry the registry the service runs on
     * @param options the access token (carried by segment uris) and the 503 delay
     * @param channels where channel names are looked up
     * @throws NullPointerException if an argument is null
     */
    public HlsServlet(HlsService hls, StreamRegistry registry, EndpointOptions options, ChannelDirectory channels) {
        this.channels = Objects.requireNonNull(channels, "channels");
        this.hls = Objects.requireNonNull(hls, "hls");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.unavailableRetryAfter = options.unavailableRetryAfter();
        this.accessToken = options.accessToken();
        this.engineParameters = registry.allowedParameters();
    }

    /**
     * Serves a playlist or a segment request; see the class description.
     *
     * @param request the request
     * @param response the response
     * @throws IOException if a body cannot be written
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        try {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw HttpProblem.methodNotAllowed(method, ALLOW);
            }
            QueryParameters query = QueryParameters.parse(request.getQueryString());
            ClientInfo viewer = ClientInfo.of(request.getRemoteAddr(), request.getHeader("User-Agent"));
            if (request.getServletPath().endsWith(SEGMENT_NAME)) {
                segment(SegmentRequest.parse(query), viewer, method.equals("HEAD"), response);
            } else if (query.has(ChannelRequest.PARAMETER)) {
                ChannelRequest channel = ChannelRequest.parse(query, engineParameters, channels);
                String name = URLEncoder.encode(channel.channel().name(), StandardCharsets.UTF_8);
                playlist(() -> hls.playlist(channel.channel(), channel.parameters(), viewer), "channel=" + name,
                        method.equals("HEAD"), response);
            } else {
                StreamRequest stream = StreamRequest.parse(query, engineParameters);
                playlist(() -> hls.playlist(stream.content(), stream.parameters(), viewer),
                        stream.content().kind().parameter() + "=" + stream.content().hex(), method.equals("HEAD"),
                        response);
            }
        } catch (HttpProblem problem) {
            if (!JsonResponses.sendError(response, problem)) {
                ConnectionAbort.of(request, problem.getMessage()).run();
            }
        }
    }

    /** Joins or starts an HLS session. */
    @FunctionalInterface
    private interface PlaylistCall {
        MediaPlaylist call() throws IOException, InterruptedException;
    }

    private void playlist(PlaylistCall call, String source, boolean head, HttpServletResponse response)
            throws IOException, HttpProblem {
        if (head) {
            headers(response, PLAYLIST_TYPE, PLAYLIST_CACHE_CONTROL);
            response.flushBuffer();
            return;
        }
        MediaPlaylist playlist;
        try {
            playlist = call.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HttpProblem.unavailable("shutting_down", "the proxy is shutting down", unavailableRetryAfter);
        } catch (IOException e) {
            throw HttpProblem.of(failureAnswer(e));
        } catch (IllegalStateException e) {
            throw HttpProblem.unavailable("shutting_down", "the proxy is shutting down", unavailableRetryAfter);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_parameter", e.getMessage());
        }
        String prefix = SEGMENT_NAME + "?" + source + "&s=" + playlist.session() + "&n=";
        String suffix = accessToken.map(t -> "&token=" + URLEncoder.encode(t, StandardCharsets.UTF_8)).orElse("");
        byte[] body = playlist.render(s -> prefix + s.sequence() + suffix).getBytes(StandardCharsets.UTF_8);
        headers(response, PLAYLIST_TYPE, PLAYLIST_CACHE_CONTROL);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private void segment(SegmentRequest wanted, ClientInfo viewer, boolean head, HttpServletResponse response)
            throws IOException, HttpProblem {
        Optional<Segment> held = wanted.content().isPresent()
                ? hls.segment(wanted.content().get(), wanted.session(), wanted.sequence(), viewer)
                : channels.channel(wanted.channel().orElseThrow())
                        .flatMap(channel -> hls.segment(channel, wanted.session(), wanted.sequence(), viewer));
        Segment segment = held
                .orElseThrow(() -> HttpProblem.of(404, "segment_not_found", "segment " + wanted.sequence()
                        + " of HLS session " + wanted.session() + " is not held (unknown or expired); "
                        + "fetch the playlist again"));
        headers(response, StreamServlet.CONTENT_TYPE, SEGMENT_CACHE_CONTROL);
        response.setContentLengthLong(segment.length());
        if (head) {
            response.flushBuffer();
            return;
        }
        ServletOutputStream out = response.getOutputStream();
        for (Chunk chunk : segment.chunks()) {
            out.write(chunk.buffer());
        }
    }

    private static void headers(HttpServletResponse response, String type, String cacheControl) {
        response.setStatus(200);
        response.setContentType(type);
        response.setHeader("Cache-Control", cacheControl);
        // Web players on other origins (hls.js) may read the playlist and the segments.
        response.setHeader("Access-Control-Allow-Origin", "*");
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
