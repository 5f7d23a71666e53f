package dev.aceproxy.jetty;

import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.hls.HlsService;
import dev.aceproxy.jetty.internal.AccessFilter;
import dev.aceproxy.jetty.internal.AcexyStatusEndpoint;
import dev.aceproxy.jetty.internal.AuthFailureThrottle;
import dev.aceproxy.jetty.internal.DrainEndpoint;
import dev.aceproxy.jetty.internal.HealthEndpoint;
import dev.aceproxy.jetty.internal.HostGuard;
import dev.aceproxy.jetty.internal.LivenessEndpoint;
import dev.aceproxy.jetty.internal.MetricsEndpoint;
import dev.aceproxy.jetty.internal.PlaylistEndpoint;
import dev.aceproxy.jetty.internal.ReadinessEndpoint;
import dev.aceproxy.jetty.internal.StatusPageEndpoint;
import dev.aceproxy.jetty.internal.StreamsEndpoint;
import dev.aceproxy.jetty.playlist.PlaylistCatalog;
import dev.aceproxy.registry.StreamRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.net.URI;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;

/**
 * Mounts every endpoint of the proxy on an existing Jetty 12 ee11 {@link ServletContextHandler},
 * under the context's own path:
 * <ul>
 *   <li>{@value #STREAM} (also with a trailing slash): the MPEG-TS stream, see {@link StreamServlet};</li>
 *   <li>{@value #MANIFEST} and {@value #SEGMENT}: HLS made from the same stream, see {@link HlsServlet};</li>
 *   <li>{@value #STATUS}: acexy's status ({@code {"streams": N}}, or per content with {@code ?id=});</li>
 *   <li>{@value #STREAMS}: the registry's full status as JSON;</li>
 *   <li>{@value #METRICS}: Prometheus text;</li>
 *   <li>{@value #HEALTH}: 200 when an engine answers its probe, else 503;</li>
 *   <li>{@value #LIVE}: 200 while the proxy serves (for a liveness check);</li>
 *   <li>{@value #READY}: 200 when new sessions are taken (not draining, an engine healthy in the
 *       pool), else 503 with {@code Retry-After} (for a balancer's readiness check);</li>
 *   <li>{@value #DRAIN}: {@code POST} starts draining: no new session, current players go on;</li>
 *   <li>{@value #PLAYLISTS} and {@value #PLAYLISTS}{@code /NAME.m3u}: the operator's playlists,
 *       pointed at this proxy (with a {@link PlaylistCatalog}; the stream path then also plays
 *       {@code ?channel=NAME}).</li>
 *   <li>{@value #PAGE} (the context's root exactly): the status page, an HTML page that shows
 *       {@value #STREAMS} to a person, with its script {@value #PAGE_SCRIPT} and style sheet
 *       {@value #PAGE_STYLE}. They hold no data and need no token; the page asks for the admin
 *       token when {@value #STREAMS} wants one.</li>
 * </ul>
 * Who may use which path is set by the {@link EndpointOptions}: with tokens, every path but
 * {@value #HEALTH}, {@value #LIVE}, {@value #READY} and the status page's files needs one (status, metrics and the drain
 * the admin token); without, web pages are kept out by checking {@code Host}, {@code Origin} and
 * {@code Sec-Fetch-Site}. {@value #HEALTH}, {@value #LIVE} and {@value #READY} are always open.
 */
public final class AceProxyEndpoints {

    /** The stream's path. */
    public static final String STREAM = "/ace/getstream";
    /** The HLS playlist's path (acexy's). */
    public static final String MANIFEST = "/ace/manifest.m3u8";
    /** The HLS segments' path, which the playlist lists relative to its own. */
    public static final String SEGMENT = "/ace/" + HlsServlet.SEGMENT_NAME;
    /** acexy's status path. */
    public static final String STATUS = "/ace/status";
    /** The full status path. */
    public static final String STREAMS = "/api/v1/streams";
    /** The Prometheus path. */
    public static final String METRICS = "/metrics";
    /** The health path; never needs a token. */
    public static final String HEALTH = "/healthz";
    /** The liveness path; never needs a token. */
    public static final String LIVE = "/livez";
    /** The readiness path; never needs a token. */
    public static final String READY = "/readyz";
    /** The drain path ({@code POST}). */
    public static final String DRAIN = "/api/v1/drain";
    /** The playlists' path: the list, and {@code /NAME.m3u} below it. */
    public static final String PLAYLISTS = "/playlists";

    /** The status page's path: the context's root, exactly. */
    public static final String PAGE = "/";
    /** The status page's script. */
    public static final String PAGE_SCRIPT = "/status/app.js";
    /** The status page's style sheet. */
    public static final String PAGE_STYLE = "/status/app.css";

    private AceProxyEndpoints() {
    }

    /**
     * Mounts every endpoint with default options (no token).
     *
     * @param context the context to mount on; must not be started yet
     * @param registry the registry that owns the sessions; the caller closes it
     * @throws NullPointerException if an argument is null
     */
    public static void mount(ServletContextHandler context, StreamRegistry registry) {
        mount(context, registry, EndpointOptions.DEFAULT);
    }

    /**
     * Mounts every endpoint.
     *
     * @param context the context to mount on; must not be started yet
     * @param registry the registry that owns the sessions; the caller closes it
     * @param options tokens, allowed host names and delays
     * @throws NullPointerException if an argument is null
     */
    public static void mount(ServletContextHandler context, StreamRegistry registry, EndpointOptions options) {
        mount(context, registry, options, HlsPolicy.DEFAULT);
    }

    /**
     * Mounts every endpoint, with HLS cut by the given policy. The HLS service is created here and
     * closed when the context stops.
     *
     * @param context the context to mount on; must not be started yet
     * @param registry the registry that owns the sessions; the caller closes it
     * @param options token and delays
     * @param hlsPolicy how HLS segments are cut and kept
     * @throws NullPointerException if an argument is null
     */
    public static void mount(ServletContextHandler context, StreamRegistry registry, EndpointOptions options,
                             HlsPolicy hlsPolicy) {
        mount(context, registry, options, hlsPolicy, PlaylistCatalog.newBuilder().build(), Optional.empty());
    }

    /**
     * Mounts every endpoint, with the operator's playlists and channels. The catalog must be
     * started by the caller, who also closes it.
     *
     * @param context the context to mount on; must not be started yet
     * @param registry the registry that owns the sessions; the caller closes it
     * @param options token and delays
     * @param hlsPolicy how HLS segments are cut and kept
     * @param catalog the playlists and channels
     * @param publicUrl the base url players reach the server by, for the playlists' urls; when
     *     empty the request's {@code Host} is used if the server listens as that name
     * @throws NullPointerException if an argument is null
     */
    public static void mount(ServletContextHandler context, StreamRegistry registry, EndpointOptions options,
                             HlsPolicy hlsPolicy, PlaylistCatalog catalog, Optional<URI> publicUrl) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(hlsPolicy, "hlsPolicy");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(options, "options");
        ServletHolder stream = new ServletHolder("aceproxy-stream",
                new StreamServlet(registry, options.unavailableRetryAfter(), catalog));
        stream.setAsyncSupported(false);
        context.addServlet(stream, STREAM);
        context.addServlet(stream, STREAM + "/");
        HlsService hls = new HlsService(registry, hlsPolicy);
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                hls.close();
            }
        });
        ServletHolder hlsHolder = new ServletHolder("aceproxy-hls", new HlsServlet(hls, registry, options, catalog));
        context.addServlet(hlsHolder, MANIFEST);
        context.addServlet(hlsHolder, SEGMENT);
        context.addServlet(new ServletHolder("aceproxy-status", new AcexyStatusEndpoint(registry)), STATUS);
        context.addServlet(new ServletHolder("aceproxy-streams", new StreamsEndpoint(registry, hls)), STREAMS);
        context.addServlet(new ServletHolder("aceproxy-metrics", new MetricsEndpoint(registry, hls)), METRICS);
        context.addServlet(new ServletHolder("aceproxy-health",
                new HealthEndpoint(registry, options.healthTimeout())), HEALTH);
        context.addServlet(new ServletHolder("aceproxy-live", new LivenessEndpoint(registry)), LIVE);
        context.addServlet(new ServletHolder("aceproxy-ready",
                new ReadinessEndpoint(registry, options.unavailableRetryAfter())), READY);
        context.addServlet(new ServletHolder("aceproxy-drain", new DrainEndpoint(registry)), DRAIN);
        ServletHolder playlists = new ServletHolder("aceproxy-playlists", new PlaylistEndpoint(catalog, publicUrl,
                new HostGuard(options.allowedHosts()), options.accessToken()));
        context.addServlet(playlists, PLAYLISTS);
        context.addServlet(playlists, PLAYLISTS + "/*");
        // "" is the servlet mapping of the context's root alone; every other unknown path is left
        // to whatever the embedder (or AceProxyHttpServer's JSON 404) serves.
        context.addServlet(new ServletHolder("aceproxy-page", StatusPageEndpoint.page()), "");
        context.addServlet(new ServletHolder("aceproxy-page-script", StatusPageEndpoint.script()), PAGE_SCRIPT);
        context.addServlet(new ServletHolder("aceproxy-page-style", StatusPageEndpoint.style()), PAGE_STYLE);
        context.addFilter(new FilterHolder(new AccessFilter(options.accessToken(), options.effectiveAdminToken(),
                        new HostGuard(options.allowedHosts()), new AuthFailureThrottle())), "/*",
                EnumSet.of(DispatcherType.REQUEST));
    }
}
