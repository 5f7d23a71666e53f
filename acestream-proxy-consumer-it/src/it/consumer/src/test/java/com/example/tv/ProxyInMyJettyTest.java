package com.example.tv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.jetty.AceProxyEndpoints;
import dev.aceproxy.micrometer.AceProxyMetrics;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An application's own Jetty with the proxy's endpoints mounted under /tv, playing from the fake engine. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyInMyJettyTest {

    private static final String ID = "ace0ace0ace0ace0ace0ace0ace0ace0ace0ace0";

    @Test
    void playsTheFakeEnginesClipByteForByte() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
             AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(client).build();
             HttpClient http = HttpClient.newHttpClient()) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            new AceProxyMetrics(registry).bindTo(meters);
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/tv");
            AceProxyEndpoints.mount(context, registry);
            server.setHandler(context);
            server.start();
            try {
                URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
                HttpResponse<InputStream> response = http.send(
                        HttpRequest.newBuilder(base.resolve("/tv/ace/getstream?id=" + ID)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, response.statusCode());
                byte[] packets;
                try (InputStream body = response.body()) {
                    packets = body.readNBytes(188 * 2000);
                    // While the player is still connected.
                    assertEquals(1.0, meters.get("aceproxy.clients").gauge().value());
                }
                assertEquals(188 * 2000, packets.length);
                StreamOracle.ofBundledClip().verify(packets, StreamExpectation.fromAnEntryPoint());
                assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/tv/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
            } finally {
                server.stop();
            }
            assertEquals(1, engine.sessionsStarted());
        }
    }
}
