package dev.aceproxy.server;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.fanout.OverflowPolicy;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.jetty.AceProxyHttpServer;
import dev.aceproxy.jetty.EndpointOptions;
import dev.aceproxy.jetty.playlist.PlaylistCatalog;
import dev.aceproxy.registry.Limits;
import dev.aceproxy.registry.SessionPolicy;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running reference server: engine clients, the stream registry and the HTTP server built
 * from {@link ServerSettings}, plus the fake engine in demo mode. {@link #close()} stops it in the
 * order that loses nothing: refuse new streams and end the current ones (the registry stops every
 * engine session), then close the HTTP server, then the playlist catalog (its refresh thread),
 * the engine clients and the demo engine.
 * Thread-safe.
 */
public final class ReferenceServer implements AutoCloseable {

    /** How long the registry may take to stop every engine session on shutdown. */
    public static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(3);
    /** How often a drain looks whether the players have gone. */
    private static final Duration DRAIN_POLL = Duration.ofMillis(100);
    /** A content id for the demo; the fake engine plays its clip for any id. */
    public static final String DEMO_CONTENT_ID = "ace0ace0ace0ace0ace0ace0ace0ace0ace0ace0";

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.server");

    private final Optional<FakeAceEngine> demoEngine;
    private final List<AceEngineClient> engines;
    private final StreamRegistry registry;
    private final AceProxyHttpServer http;
    private final Duration drainTimeout;
    private final PlaylistCatalog catalog;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);

    private ReferenceServer(Optional<FakeAceEngine> demoEngine, List<AceEngineClient> engines,
                            StreamRegistry registry, AceProxyHttpServer http, Duration drainTimeout,
                            PlaylistCatalog catalog) {
        this.catalog = catalog;
        this.drainTimeout = drainTimeout;
        this.demoEngine = demoEngine;
        this.engines = engines;
        this.registry = registry;
        this.http = http;
    }

    /**
     * Starts everything the settings describe and logs the effective settings (never the token).
     *
     * @param settings the settings
     * @return the running server
     * @throws IOException if the demo engine or the HTTP server cannot start (for example, the
     *     port is taken); whatever had started is stopped again
     */
    public static ReferenceServer start(ServerSettings settings) throws IOException {
        Optional<FakeAceEngine> demo = Optional.empty();
        List<AceEngineClient> engines = new ArrayList<>();
        StreamRegistry registry = null;
        PlaylistCatalog catalog = settings.lineup().catalog();
        try {
            catalog.start();
            List<URI> engineUris = settings.engines();
            if (settings.demo()) {
                demo = Optional.of(FakeAceEngine.start());
                engineUris = List.of(demo.get().baseUri());
            }
            StreamRegistry.Builder builder = StreamRegistry.newBuilder()
                    .sessionPolicy(SessionPolicy.DEFAULT
                            .withStartTimeout(settings.startTimeout())
                            .withNoDataTimeout(settings.noDataTimeout())
                            .withLinger(settings.linger()))
                    .playerPolicy(new PlayerPolicy(settings.queueBytes(), overflow(settings.overflow()),
                            PlayerPolicy.DEFAULT.stallTimeout()))
                    .limits(new Limits(settings.maxStreams(), settings.maxClientsPerStream(), settings.maxClients(),
                            Limits.DEFAULT_RETRY_AFTER, settings.maxStreamsPerEngine(), settings.maxNewStreamsPerAddress()))
                    .listener(new ServerLog());
            for (URI uri : engineUris) {
                AceEngineClient engine = AceEngineClient.newBuilder()
                        .baseUri(uri)
                        .getstreamTimeout(settings.getstreamTimeout())
                        .build();
                engines.add(engine);
                builder.engine(engine);
            }
            registry = builder.build();
            EndpointOptions options = EndpointOptions.DEFAULT.withAllowedHosts(settings.allowedHosts());
            if (settings.accessToken().isPresent()) {
                options = options.withAccessToken(settings.accessToken().get());
            }
            if (settings.adminToken().isPresent()) {
                options = options.withAdminToken(settings.adminToken().get());
            }
            AceProxyHttpServer.Builder httpBuilder = AceProxyHttpServer.newBuilder();
            settings.lineup().publicUrl().ifPresent(httpBuilder::publicUrl);
            AceProxyHttpServer http = httpBuilder
                    .playlists(catalog)
                    .registry(registry)
                    .host(settings.listen().bindHost())
                    .port(settings.listen().port())
                    .options(options)
                    .maxConnections(settings.maxConnections())
                    .maxConnectionsPerAddress(settings.maxConnectionsPerAddress())
                    .hlsPolicy(HlsPolicy.DEFAULT.withStartTimeout(settings.startTimeout())
                            .withTargetDuration(settings.hlsSegmentDuration()).withWindowSegments(settings.hlsWindow()))
                    .build();
            http.start();
            ReferenceServer server = new ReferenceServer(demo, List.copyOf(engines), registry, http,
                    settings.drainTimeout(), catalog);
            LOG.log(Level.INFO, "acestream-proxy listening on " + server.listenDescription(settings) + " with "
                    + settings + (settings.demo() ? " (demo engine at " + engineUris.get(0) + ")" : ""));
            return server;
        } catch (IOException | RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            engines.forEach(AceEngineClient::close);
            demo.ifPresent(FakeAceEngine::close);
            catalog.close();
            throw e;
        }
    }

    /**
     * Returns a base url that reaches the server from this machine.
     *
     * @return for example {@code http://127.0.0.1:8080}
     */
    public URI baseUri() {
        return http.baseUri();
    }

    /**
     * Returns the url of the demo stream (any content id plays the demo clip).
     *
     * @param token the access token to put in the url, if one is required
     * @return the url to open in a player
     */
    public URI demoStreamUri(Optional<String> token) {
        return URI.create(baseUri() + "/ace/getstream?id=" + DEMO_CONTENT_ID
                + token.map(t -> "&token=" + URLEncoder.encode(t, StandardCharsets.UTF_8)).orElse(""));
    }

    /**
     * Returns the registry, for tests and embedding.
     *
     * @return the registry
     */
    public StreamRegistry registry() {
        return registry;
    }

    /**
     * Returns the playlists and channels the server offers.
     *
     * @return the catalog
     */
    public PlaylistCatalog catalog() {
        return catalog;
    }

    /**
     * Returns the demo engine when running with {@code --demo}.
     *
     * @return the fake engine, or empty
     */
    public Optional<FakeAceEngine> demoEngine() {
        return demoEngine;
    }

    /**
     * Blocks until {@link #close()} has finished.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Returns a thread that stops this server, for {@link Runtime#addShutdownHook(Thread)}: on
     * SIGTERM or Ctrl-C the server first drains for the settings' drain timeout (see
     * {@link #drain(Duration)}), then stops taking streams, stops every engine session and exits
     * within a few seconds.
     *
     * @return the unstarted hook thread
     */
    public Thread shutdownHook() {
        return new Thread(() -> {
            try {
                drain(drainTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
        }, "aceproxy-shutdown");
    }

    /**
     * Drains: the registry starts no new session from now on (new players get 503 with
     * {@code Retry-After}, so that a load balancer moves them), while the players here go on.
     * Returns when the last player has gone or the timeout is over, whichever comes first; the
     * server keeps serving its players until {@link #close()}. A zero timeout returns at once
     * without draining.
     *
     * @param timeout the longest wait for the players to go
     * @return whether every player had gone
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        if (timeout.isZero() || timeout.isNegative()) {
            return registry.status().totals().clients() == 0;
        }
        registry.startDraining();
        int players = registry.status().totals().clients();
        LOG.log(Level.INFO, "draining for up to " + GoDuration.format(timeout) + ": " + players + " players");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (players > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(Math.min(DRAIN_POLL.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            players = registry.status().totals().clients();
        }
        int left = players;
        LOG.log(Level.INFO, () -> left == 0 ? "drained: every player has gone" : "drain over: " + left + " players left");
        return left == 0;
    }

    /**
     * Stops the server: the registry refuses new streams, ends every client and stops every engine
     * session (within {@link #SHUTDOWN_DEADLINE}); then the HTTP server, the engine clients and the
     * demo engine close. Idempotent; a second caller waits for the first to finish.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        LOG.log(Level.INFO, "shutting down");
        // Nothing new may start while the registry ends its sessions: stop accepting first.
        http.stopAccepting();
        try {
            registry.shutdown(SHUTDOWN_DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            http.close();
            catalog.close();
            engines.forEach(AceEngineClient::close);
            demoEngine.ifPresent(FakeAceEngine::close);
            LOG.log(Level.INFO, "stopped");
            closed.countDown();
        }
    }

    private String listenDescription(ServerSettings settings) {
        return settings.listen().allInterfaces()
                ? "every interface, port " + http.port()
                : settings.listen().host() + ":" + http.port();
    }

    private static OverflowPolicy overflow(ServerSettings.Overflow overflow) {
        return switch (overflow) {
            case DISCONNECT -> OverflowPolicy.DISCONNECT;
            case SKIP -> OverflowPolicy.SKIP_TO_LIVE;
        };
    }
}
