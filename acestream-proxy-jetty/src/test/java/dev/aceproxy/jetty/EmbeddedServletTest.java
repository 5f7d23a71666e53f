package dev.aceproxy.jetty;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two ways into an existing Jetty server: the stream servlet alone, or every endpoint mounted. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EmbeddedServletTest {

    @Test
    void theStreamServletAloneServesUnderAnyContextPath() throws Exception {
        runWith(context -> context.addServlet(new ServletHolder(new StreamServlet(registryOf(context))),
                "/ace/getstream"), "/tv/ace/getstream?id=" + ID, "/tv/ace/status", 404);
    }

    @Test
    void mountAddsEveryEndpoint() throws Exception {
        runWith(context -> AceProxyEndpoints.mount(context, registryOf(context)), "/tv/ace/getstream?id=" + ID,
                "/tv/ace/status", 200);
    }

    @Test
    void anEmbedderChoosesItsOwnAnswerToAFailure() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
             AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(client).build();
             HttpClient http = HttpClient.newHttpClient()) {
            engine.markUnavailable(ID);
            StreamServlet servlet = new StreamServlet(registry) {
                @Override
                protected FailureAnswer failureAnswer(java.io.IOException failure) {
                    if (failure instanceof dev.aceproxy.engine.ContentUnavailableException) {
                        return FailureAnswer.of(451, "blocked_here", "this channel is not offered here");
                    }
                    return super.failureAnswer(failure);
                }
            };
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(servlet), "/ace/getstream");
            server.setHandler(context);
            server.start();
            try {
                URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(base.resolve("/ace/getstream?id=" + ID)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(451);
                assertThat(response.body()).contains("\"blocked_here\"").contains("this channel is not offered here");
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/json"));
            } finally {
                server.stop();
            }
        }
    }

    private static StreamRegistry registryOf(ServletContextHandler context) {
        return (StreamRegistry) context.getAttribute("registry");
    }

    private static void runWith(java.util.function.Consumer<ServletContextHandler> setup, String streamPath,
                                String statusPath, int statusCode) throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
             AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(client).build();
             HttpClient http = HttpClient.newHttpClient()) {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/tv");
            context.setAttribute("registry", registry);
            setup.accept(context);
            server.setHandler(context);
            server.start();
            try {
                URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(base.resolve(streamPath)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    assertThat(response.statusCode()).isEqualTo(200);
                    byte[] packets = body.readNBytes(188 * 500);
                    assertThat(packets).hasSize(188 * 500);
                    StreamOracle.ofBundledClip().verify(packets, StreamExpectation.fromAnEntryPoint());
                }
                assertThat(http.send(HttpRequest.newBuilder(base.resolve(statusPath)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(statusCode);
            } finally {
                server.stop();
            }
        }
    }
}
