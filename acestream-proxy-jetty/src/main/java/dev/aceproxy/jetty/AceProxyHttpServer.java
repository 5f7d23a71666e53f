package dev.aceproxy.jetty;

import dev.aceproxy.jetty.internal.NotFoundEndpoint;
import dev.aceproxy.registry.StreamRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
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
    /** Default bound on requests handled at once (each player holds one for its whole stream). */
    public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 10_000;
    /** Default time {@link #close()} waits for requests in progress before closing connections. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(2);

    private final Server server;
    private final ServerConnector connector;
    private final String host;

    private AceProxyHttpServer(Builder b) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("aceproxy-jetty");
        VirtualThreadPool requests = new VirtualThreadPool(b.maxConcurrentRequests);
        requests.setName("aceproxy-request-");
        threads.setVirtualThreadsExecutor(requests);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(b.idleTimeout.toMillis());
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        AceProxyEndpoints.mount(context, b.registry, b.options);
        context.addServlet(new ServletHolder("aceproxy-not-found", new NotFoundEndpoint()), "/");
        server.setHandler(context);
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
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
        private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;

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
         * Sets the endpoint options (token, delays).
         *
         * @param options the options
         * @return this builder
         */
        public Builder options(EndpointOptions options) {
            this.options = Objects.requireNonNull(options, "options");
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
         * Sets the bound on requests handled at once (streams included).
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
