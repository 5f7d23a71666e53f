package dev.aceproxy.server.faults;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.server.ReferenceServer;
import dev.aceproxy.server.SettingsParser;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One member of a fleet: the reference server with its production defaults (only the listen
 * address and the engine are given) in front of its own fake engine.
 */
final class FleetInstance implements AutoCloseable {

    final FakeAceEngine engine;
    final ReferenceServer server;
    private final int port;
    private volatile boolean serverClosed;
    private volatile boolean engineClosed;

    private FleetInstance(FakeAceEngine engine, ReferenceServer server) {
        this.engine = engine;
        this.server = server;
        this.port = server.baseUri().getPort();
    }

    static FleetInstance start() throws Exception {
        FakeAceEngine engine = FakeAceEngine.start();
        try {
            return new FleetInstance(engine, ReferenceServer.start(SettingsParser.parse(
                    // Production defaults, but for the bounds a fleet node raises: one node of this
                    // test may carry 30 contents on its one engine and more than 64 players (the
                    // defaults allow 8 sessions and 64 players), all arriving from nginx's address.
                    List.of("--listen", "127.0.0.1:0", "--engine", engine.baseUri().toString(), "--max-streams", "30",
                            "--max-streams-per-engine", "30", "--max-clients", "200"),
                    Map.of()).settings()));
        } catch (Exception | Error e) {
            engine.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    /** Whether the instance runs a session of the content. */
    boolean plays(String contentId) {
        return !serverClosed && server.registry().status(ContentId.id(contentId)).isPresent();
    }

    /** Kills the proxy: its HTTP server, registry and engine sessions go; the engine stays. */
    void killServer() {
        serverClosed = true;
        server.close();
    }

    /** Kills the engine: it forgets every session and refuses connections; the proxy stays. */
    void killEngine() {
        engineClosed = true;
        engine.close();
    }

    /** Sends the admin call {@code POST /api/v1/drain} to this instance directly. */
    HttpResponse<String> postDrain() throws IOException, InterruptedException {
        return get(HttpRequest.newBuilder(server.baseUri().resolve("/api/v1/drain"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code GET /readyz} on this instance directly. */
    HttpResponse<String> readyz() throws IOException, InterruptedException {
        return get(HttpRequest.newBuilder(server.baseUri().resolve("/readyz")));
    }

    private static HttpResponse<String> get(HttpRequest.Builder request) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * Stops the server, then checks the engine-session accounting of a live engine (every
     * getstream ended in a stop or in the engine forgetting it), then closes the engine.
     */
    @Override
    public void close() {
        try {
            server.close();
            if (!engineClosed) {
                FaultRig.assertEveryEngineSessionEnded(engine, 0, false);
            }
        } finally {
            engine.close();
        }
    }
}
