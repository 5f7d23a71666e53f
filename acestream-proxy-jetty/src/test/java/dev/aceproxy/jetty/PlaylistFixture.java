package dev.aceproxy.jetty;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.jetty.playlist.PlaylistCatalog;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A fake engine, a registry with every production default, a playlist catalog and the proxy's
 * HTTP server on loopback port 0. Closing checks nothing; tests count the engine's sessions
 * themselves before closing.
 */
final class PlaylistFixture implements AutoCloseable {

    final FakeAceEngine engine;
    final AceEngineClient client;
    final StreamRegistry registry;
    final PlaylistCatalog catalog;
    final AceProxyHttpServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private boolean proxyStopped;

    private PlaylistFixture(FakeAceEngine engine, PlaylistCatalog catalog, EndpointOptions options,
                            Optional<URI> publicUrl) throws IOException {
        this.engine = engine;
        this.catalog = catalog;
        this.client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
        this.registry = StreamRegistry.newBuilder().engine(client).build();
        AceProxyHttpServer.Builder builder = AceProxyHttpServer.newBuilder().registry(registry).port(0)
                .options(options).playlists(catalog);
        publicUrl.ifPresent(builder::publicUrl);
        this.server = builder.build();
        server.start();
    }

    /** Starts the catalog, then the rest; the fixture owns the catalog from then on. */
    static PlaylistFixture start(PlaylistCatalog catalog, EndpointOptions options, Optional<URI> publicUrl)
            throws IOException {
        FakeAceEngine engine = FakeAceEngine.start();
        try {
            catalog.start();
            return new PlaylistFixture(engine, catalog, options, publicUrl);
        } catch (IOException | RuntimeException e) {
            catalog.close();
            engine.close();
            throw e;
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create(server.baseUri() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> head(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Stops the proxy (server, registry: every engine session is stopped) and leaves the engine
     * running, so that a test can count its sessions. Idempotent.
     */
    void stopProxy() {
        if (proxyStopped) {
            return;
        }
        proxyStopped = true;
        server.close();
        registry.close();
    }

    @Override
    public void close() {
        stopProxy();
        catalog.close();
        client.close();
        engine.close();
        http.close();
    }
}
