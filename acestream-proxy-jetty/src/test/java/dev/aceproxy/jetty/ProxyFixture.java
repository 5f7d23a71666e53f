package dev.aceproxy.jetty;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.registry.Limits;
import dev.aceproxy.registry.RetryPolicy;
import dev.aceproxy.registry.SessionPolicy;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A fake engine, a registry and the proxy's HTTP server on loopback port 0, closed together. */
final class ProxyFixture implements AutoCloseable {

    static final String ID = "0123456789abcdef0123456789abcdef01234567";
    static final String OTHER_ID = "89abcdef0123456789abcdef0123456789abcdef";

    final FakeAceEngine engine;
    final AceEngineClient client;
    final StreamRegistry registry;
    final AceProxyHttpServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ProxyFixture(FakeAceEngine engine, URI engineUri, UnaryOperator<StreamRegistry.Builder> registrySetup,
                         EndpointOptions options, Duration idleTimeout) throws IOException {
        this.engine = engine;
        this.client = AceEngineClient.newBuilder().baseUri(engineUri).getstreamTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(1)).build();
        this.registry = registrySetup.apply(StreamRegistry.newBuilder()
                .engine(client)
                .sessionPolicy(SessionPolicy.DEFAULT.withStartTimeout(Duration.ofSeconds(3)).withLinger(Duration.ZERO))
                .retryPolicy(new RetryPolicy(Duration.ofMillis(20), 2.0, Duration.ofMillis(100), 0.0, 2,
                        Duration.ofSeconds(30)))).build();
        this.server = AceProxyHttpServer.newBuilder().registry(registry).port(0).options(options)
                .idleTimeout(idleTimeout).stopTimeout(Duration.ofMillis(1)).build();
        server.start();
    }

    static ProxyFixture start() throws IOException {
        return start(UnaryOperator.identity(), EndpointOptions.DEFAULT);
    }

    static ProxyFixture start(UnaryOperator<StreamRegistry.Builder> registrySetup, EndpointOptions options)
            throws IOException {
        return start(FakeAceEngine.start(), registrySetup, options);
    }

    /** Starts a proxy in front of {@code engine}, which the fixture then owns. */
    static ProxyFixture start(FakeAceEngine engine, UnaryOperator<StreamRegistry.Builder> registrySetup,
                              EndpointOptions options) throws IOException {
        return start(engine, registrySetup, options, AceProxyHttpServer.DEFAULT_IDLE_TIMEOUT);
    }

    /** Starts a proxy whose connections time out after {@code idleTimeout} without traffic. */
    static ProxyFixture withIdleTimeout(Duration idleTimeout) throws IOException {
        return start(FakeAceEngine.start(), UnaryOperator.identity(), EndpointOptions.DEFAULT, idleTimeout);
    }

    private static ProxyFixture start(FakeAceEngine engine, UnaryOperator<StreamRegistry.Builder> registrySetup,
                                      EndpointOptions options, Duration idleTimeout) throws IOException {
        try {
            return new ProxyFixture(engine, engine.baseUri(), registrySetup, options, idleTimeout);
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    static ProxyFixture withLimits(Limits limits) throws IOException {
        return start(b -> b.limits(limits), EndpointOptions.DEFAULT);
    }

    URI uri(String pathAndQuery) {
        return URI.create(server.baseUri() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        registry.close();
        client.close();
        engine.close();
        http.close();
    }
}
