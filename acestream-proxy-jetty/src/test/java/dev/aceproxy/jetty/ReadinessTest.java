package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static dev.aceproxy.jetty.ProxyFixture.OTHER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.registry.Limits;
import dev.aceproxy.testkit.Eventually;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /livez}, {@code /readyz}, {@code POST /api/v1/drain} and the capacity figures of {@code /metrics}. */
@Timeout(60)
class ReadinessTest {

    private static final String TOKEN = "fleet-token-0123456789";

    @Test
    void aReadyProxyReportsItsCapacity() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.withLimits(new Limits(4, 0, 0, Duration.ofSeconds(5)))) {
            HttpResponse<String> ready = proxy.get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"status\":\"ready\"", "\"ready\":true", "\"engines_healthy\":1",
                    "\"max_sessions\":4").doesNotContain(String.valueOf(proxy.engine.port()));
            assertThat(proxy.get("/livez").body()).contains("\"status\":\"live\"", "\"draining\":false");
            HttpResponse<InputStream> stream = proxy.http.send(HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = stream.body()) {
                assertThat(body.readNBytes(188)).hasSize(188);
                assertThat(proxy.get("/metrics").body()).contains("aceproxy_ready 1\n", "aceproxy_draining 0\n",
                        "aceproxy_sessions_allowed 4\n", "# TYPE aceproxy_capacity gauge\naceproxy_capacity 0.25\n");
            }
        }
    }

    @Test
    void aDrainingProxyTakesNoNewSessionAndItsPlayersGoOn() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(b -> b, EndpointOptions.DEFAULT.withAccessToken(TOKEN))) {
            HttpResponse<InputStream> stream = proxy.http.send(HttpRequest.newBuilder(
                    proxy.uri("/ace/getstream?id=" + ID + "&token=" + TOKEN)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = stream.body()) {
                assertThat(body.readNBytes(188)).hasSize(188);
                assertThat(proxy.send(HttpRequest.newBuilder(proxy.uri("/api/v1/drain"))
                        .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(401);
                HttpResponse<String> wrongMethod = proxy.get("/api/v1/drain?token=" + TOKEN);
                assertThat(wrongMethod.statusCode()).isEqualTo(405);
                assertThat(wrongMethod.headers().firstValue("Allow")).contains("POST");
                assertThat(proxy.registry.isDraining()).isFalse();

                HttpResponse<String> drain = proxy.send(HttpRequest.newBuilder(proxy.uri("/api/v1/drain?token=" + TOKEN))
                        .POST(HttpRequest.BodyPublishers.noBody()));
                assertThat(drain.statusCode()).isEqualTo(200);
                assertThat(drain.body()).contains("\"draining\":true", "\"sessions\":1", "\"clients\":1");

                HttpResponse<String> ready = proxy.get("/readyz");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.headers().firstValue("Retry-After")).isPresent();
                assertThat(ready.body()).contains("\"status\":\"draining\"", "\"ready\":false");
                assertThat(proxy.get("/livez").statusCode()).isEqualTo(200);

                HttpResponse<String> refused = proxy.get("/ace/getstream?id=" + OTHER_ID + "&token=" + TOKEN);
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).contains("5");
                assertThat(refused.body()).contains("\"error\":\"draining\"");
                assertThat(proxy.get("/metrics?token=" + TOKEN).body()).contains("aceproxy_draining 1\n",
                        "aceproxy_ready 0\n");

                assertThat(body.readNBytes(188 * 1000)).as("the player goes on").hasSize(188 * 1000);
                assertThat(proxy.engine.getstreamCalls()).isEqualTo(1);
            }
        }
    }

    @Test
    void withItsEngineGoneTheProxyIsNotReadyAndAnswers503() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start()) {
            HttpResponse<InputStream> stream = proxy.http.send(HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = stream.body()) {
                assertThat(body.readNBytes(188)).hasSize(188);
                proxy.engine.close();
                HttpResponse<String> ready = Eventually.within(Duration.ofSeconds(10), Duration.ofMillis(20),
                        "/readyz no longer 200", () -> proxy.get("/readyz"), r -> r.statusCode() != 200);
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("\"status\":\"no healthy engine\"", "\"engines_healthy\":0");
                for (String id : new String[] {ID, OTHER_ID}) {
                    HttpResponse<String> refused = proxy.get("/ace/getstream?id=" + id);
                    assertThat(refused.statusCode()).isEqualTo(503);
                    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                    assertThat(refused.body()).contains("\"error\":\"engine_unavailable\"");
                }
                assertThat(proxy.get("/livez").statusCode()).isEqualTo(200);
            }
        }
    }
}
