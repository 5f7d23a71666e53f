package dev.aceproxy.jetty;

import dev.aceproxy.jetty.internal.JsonErrorHandler;
import dev.aceproxy.jetty.internal.ConnectionsPerAddress;
import dev.aceproxy.jetty.internal.ListenNames;
import dev.aceproxy.jetty.internal.NotFoundEndpoint;
import dev.aceproxy.jetty.internal.RequestAdmission;
import dev.aceproxy.jetty.internal.RequestHeadersDeadline;
import dev.aceproxy.registry.StreamRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The whole HTTP side of the proxy: a Jetty 12 server with one HTTP/1.1 connector and every
 * endpoint of {@link AceProxyEndpoints} at the root, request handling on virtual threads (a
 * {@link QueuedThreadPool} for Jetty's own work with a {@link VirtualThreadPool} as its
 * virtual-threads executor). Paths it does not serve answer a JSON 404.
 *
 * <p>The server does not own the registry: stop the server first, then shut the registry down.
 * Built with {@link #newBuilder()}; {@link #start()} once, {@link #close()} once.
 */
public final class AceProxyHttpServer implements AutoCloseable {

    /** Default idle timeout of a connection that neither reads nor writes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Default time a connection has to deliver a complete request line and headers, from its
     * opening or from the end of its previous request; slower connections (slowloris) are closed.
     */
    public static final Duration DEFAULT_REQUEST_HEADERS_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default bound on a request's line and headers together, in bytes: a longer request line is
     * answered {@code 414}, longer headers {@code 431}. The adapter itself refuses queries above
     * 4096 characters with a JSON 400.
     */
    public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 8 * 1024;
    /**
     * Default bound on requests handled at once (each player holds one for its whole stream);
     * beyond it a request is answered {@code 503} at once, but {@code /healthz} and
     * {@code /metrics} keep a reserved lane.
     */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 1024;
    /**
     * Default bound on open connections: beyond it the server stops accepting until some close
     * (idle and slow ones are closed by the idle timeout and the request head deadline).
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;
    /**
     * Default bound on open connections from one address: a further one is closed at once. Behind
     * a reverse proxy every player shares the proxy's address: raise it there.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    /** Default time {@link #close()} waits for requests in progress before closing connections. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofMillis(500);

    private final Server server;
    /**
     * Connections the kernel may hold until they are accepted. The JDK's default (50) drops the
     * surplus of a burst of players, who then wait one or three seconds to retry their connect;
     * the kernel caps this at {@code net.core.somaxconn}.
     */
    static final int ACCEPT_QUEUE_SIZE = 1024;

    private final ServerConnector connector;
    private final String host;

    private AceProxyHttpServer(Builder b) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("aceproxy-jetty");
        // Admission answers 503 beyond the bound, so the pool's own bound (which would make a
        // request wait silently for a thread) is never what limits a request.
        VirtualThreadPool requests = new VirtualThreadPool(b.maxConcurrentRequests + RequestAdmission.RESERVED_LANE + 64);
        requests.setName("aceproxy-request-");
        threads.setVirtualThreadsExecutor(requests);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Request limits are set here on purpose rather than left to Jetty's defaults.
        http.setRequestHeaderSize(b.maxRequestHeaderBytes);
        http.setHttpCompliance(HttpCompliance.RFC9110);
        http.setUriCompliance(UriCompliance.DEFAULT);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(b.idleTimeout.toMillis());
        connector.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
        RequestHeadersDeadline headersDeadline = new RequestHeadersDeadline(connector.getScheduler(),
                b.requestHeadersTimeout);
        connector.addBean(headersDeadline);
        if (b.maxConnectionsPerAddress > 0) {
            connector.addBean(new ConnectionsPerAddress(b.maxConnectionsPerAddress));
        }
        server.addConnector(connector);
        if (b.maxConnections > 0) {
            server.addBean(new NetworkConnectionLimit(b.maxConnections, connector));
        }
        ServletContextHandler context = new ServletContextHandler("/");
        AceProxyEndpoints.mount(context, b.registry, b.options.withAllowedHosts(ListenNames.of(b.host)), b.hlsPolicy,
                b.catalog, b.publicUrl);
        context.addServlet(new ServletHolder("aceproxy-not-found", new NotFoundEndpoint()), "/");
        server.setHandler(headersDeadline.wrap(new RequestAdmission(context, b.maxConcurrentRequests,
                b.options.unavailableRetryAfter())));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(b.stopTimeout.toMillis());
        server.setStopAtShutdown(false);
        this.host = b.host;
    }

    /**
     * Starts a builder.
     *
     * @return a builder with the defaults: port 8080 on loopback, default options
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws IOException if the port cannot be bound or Jetty fails to start
     * @throws IllegalStateException if the server was started before
     */
    public void start() throws IOException {
        if (server.isStarted() || server.isStarting()) {
            throw new IllegalStateException("already started");
        }
        try {
            server.start();
        } catch (IOException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("the HTTP server did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the bound port (the real one when the builder asked for port 0).
     *
     * @return the port, or -1 before {@link #start()}
     */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Returns a base url that reaches this server from the same machine.
     *
     * @return for example {@code http://127.0.0.1:8080}
     */
    public URI baseUri() {
        String h = host == null || host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return URI.create("http://" + h + ":" + port());
    }

    /**
     * Stops accepting new connections at once; connections already open (players streaming) go
     * on until {@link #close()}. The first step of a shutdown: nothing new starts while the
     * registry ends its sessions. Idempotent.
     */
    public void stopAccepting() {
        if (connector.isOpen()) {
            connector.shutdown();
        }
    }

    /**
     * Stops accepting connections, lets requests in progress end within the stop timeout, then
     * closes every connection and thread. Idempotent.
     */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // Jetty reports the first failure of its components; the server is stopped anyway.
            System.getLogger(AceProxyHttpServer.class.getName())
                    .log(System.Logger.Level.WARNING, "HTTP server stopped with an error", e);
        }
    }

    /** Builds an {@link AceProxyHttpServer}. Not thread-safe. */
    public static final class Builder {
        private StreamRegistry registry;
        private String host = "127.0.0.1";
        private int port = 8080;
        private EndpointOptions options = EndpointOptions.DEFAULT;
        private dev.aceproxy.hls.HlsPolicy hlsPolicy = dev.aceproxy.hls.HlsPolicy.DEFAULT;
        private dev.aceproxy.jetty.playlist.PlaylistCatalog catalog =
                dev.aceproxy.jetty.playlist.PlaylistCatalog.newBuilder().build();
        private java.util.Optional<URI> publicUrl = java.util.Optional.empty();
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private Duration requestHeadersTimeout = DEFAULT_REQUEST_HEADERS_TIMEOUT;
        private int maxRequestHeaderBytes = DEFAULT_MAX_REQUEST_HEADER_BYTES;

        private Builder() {
        }

        /**
         * Sets the registry behind the endpoints (required).
         *
         * @param registry the registry; the caller closes it after the server
         * @return this builder
         */
        public Builder registry(StreamRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Sets the address to bind: a host name or address, or null for every interface.
         *
         * @param host the host, or null
         * @return this builder
         */
        public Builder host(String host) {
            this.host = host == null || host.isEmpty() ? null : host;
            return this;
        }

        /**
         * Sets the port; 0 picks a free one (see {@link AceProxyHttpServer#port()}).
         *
         * @param port 0..65535
         * @return this builder
         * @throws IllegalArgumentException if the port is out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + " is outside 0..65535");
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the endpoint options (tokens, allowed host names, delays). The names the server
         * listens as (the bound address; every interface's address and the machine's name when
         * it binds every interface) are added to the allowed host names.
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(EndpointOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Sets the operator's playlists and channels ({@code /playlists}, {@code ?channel=}). The
         * caller starts the catalog before the server and closes it after.
         *
         * @param catalog the catalog
         * @return this builder
         */
        public Builder playlists(dev.aceproxy.jetty.playlist.PlaylistCatalog catalog) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /**
         * Sets the base url players reach the server by ({@code --public-url}), used in the
         * playlists' urls instead of the request's {@code Host}.
         *
         * @param url an http(s) url, such as {@code https://tv.example.org}
         * @return this builder
         * @throws IllegalArgumentException if it is not an absolute http(s) url with a host, or has
         *     a query or fragment
         */
        public Builder publicUrl(URI url) {
            String scheme = Objects.requireNonNull(url, "url").getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null
                    || url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("the public url must be http(s)://HOST[:PORT][/PATH]");
            }
            this.publicUrl = java.util.Optional.of(url);
            return this;
        }

        /**
         * Sets how HLS segments are cut and kept (default {@link dev.aceproxy.hls.HlsPolicy#DEFAULT}).
         *
         * @param policy the policy
         * @return this builder
         * @throws NullPointerException if {@code policy} is null
         */
        public Builder hlsPolicy(dev.aceproxy.hls.HlsPolicy policy) {
            this.hlsPolicy = Objects.requireNonNull(policy, "hlsPolicy");
            return this;
        }

        /**
         * Sets how long a connection may neither read nor write before it is closed; a player
         * that stops reading is dropped after this at the latest.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if the timeout is not positive
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /**
         * Sets how long a connection has to deliver a complete request line and headers, counted
         * from its opening or from the end of its previous request; a connection that is slower
         * (or sends nothing) is closed. No deadline runs while a request is being served.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if the timeout is not positive
         */
        public Builder requestHeadersTimeout(Duration timeout) {
            this.requestHeadersTimeout = positive(timeout, "requestHeadersTimeout");
            return this;
        }

        /**
         * Sets the bound on a request's line and headers together: a longer request line is
         * answered {@code 414}, longer headers {@code 431}, and the connection keeps serving.
         *
         * @param bytes at least 1024
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is below 1024
         */
        public Builder maxRequestHeaderBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxRequestHeaderBytes must be at least 1024");
            }
            this.maxRequestHeaderBytes = bytes;
            return this;
        }

        /**
         * Sets how long {@link AceProxyHttpServer#close()} waits for requests in progress.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if the timeout is not positive
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = positive(timeout, "stopTimeout");
            return this;
        }

        /**
         * Sets the bound on open connections; beyond it the server stops accepting until some
         * close.
         *
         * @param max the bound, or 0 for none
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is negative
         */
        public Builder maxConnections(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxConnections must not be negative");
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Sets the bound on open connections from one address; a further one is closed at once.
         *
         * @param max the bound, or 0 for none
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is negative
         */
        public Builder maxConnectionsPerAddress(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxConnectionsPerAddress must not be negative");
            }
            this.maxConnectionsPerAddress = max;
            return this;
        }

        /**
         * Sets the bound on requests handled at once (streams included); beyond it a request is
         * answered {@code 503} with {@code Retry-After} at once, except that {@code /healthz}
         * and {@code /metrics} have a reserved lane.
         *
         * @param max at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder maxConcurrentRequests(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConcurrentRequests must be at least 1");
            }
            this.maxConcurrentRequests = max;
            return this;
        }

        /**
         * Builds the server (not started).
         *
         * @return the server
         * @throws IllegalStateException if no registry was set
         * @throws IllegalArgumentException if the host cannot be resolved
         */
        public AceProxyHttpServer build() {
            if (registry == null) {
                throw new IllegalStateException("a registry is required");
            }
            if (host != null) {
                try {
                    InetAddress.getByName(host);
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("unknown host " + host, e);
                }
            }
            return new AceProxyHttpServer(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
