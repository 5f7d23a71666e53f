package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static dev.aceproxy.jetty.ProxyFixture.OTHER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.Eventually;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EndpointsTest {

    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = ProxyFixture.start();
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void statusReportsRunningStreamsLikeAcexy() throws Exception {
        assertThat(proxy.get("/ace/status").body()).isEqualToIgnoringWhitespace("{\"streams\":0}");
        HttpResponse<InputStream> stream = proxy.http.send(
                HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(body.readNBytes(188)).hasSize(188);
            assertThat(proxy.get("/ace/status").body()).isEqualToIgnoringWhitespace("{\"streams\":1}");
            HttpResponse<String> one = proxy.get("/ace/status?id=" + ID);
            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(one.body()).contains("\"clients\":1").contains("\"stat_url\":\"http://127.0.0.1:");
            HttpResponse<String> other = proxy.get("/ace/status?id=" + OTHER_ID);
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(other.body()).contains("\"error\":\"not_found\"");

            HttpResponse<String> streams = proxy.get("/api/v1/streams");
            assertThat(streams.statusCode()).isEqualTo(200);
            assertThat(streams.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(streams.body()).contains("\"id\":\"" + ID + "\"").contains("\"totals\":{\"sessions\":1,")
                    .contains("\"user_agent\":").contains("\"engines\":[{\"url\":\"" + proxy.engine.baseUri());

            HttpResponse<String> metrics = proxy.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(metrics.body())
                    .contains("# TYPE aceproxy_sessions gauge\naceproxy_sessions 1\n")
                    .contains("aceproxy_clients 1\n")
                    .contains("# TYPE aceproxy_bytes_in_total counter")
                    .contains("aceproxy_bytes_out_total ")
                    .contains("aceproxy_reconnects_total 0")
                    .contains("aceproxy_failovers_total 0")
                    .contains("aceproxy_evictions_total 0")
                    .contains("aceproxy_skipped_bytes_total 0")
                    .contains("aceproxy_session_clients{content=\"" + ID + "\",kind=\"id\"} 1")
                    .contains("aceproxy_session_bitrate_bits_per_second{content=\"" + ID + "\"")
                    .contains("aceproxy_engine_up{engine=\"" + proxy.engine.baseUri() + "\"} 1");
        }
    }

    @Test
    void healthIs200WhileTheEngineAnswersAnd503Otherwise() throws Exception {
        HttpResponse<String> healthy = proxy.get("/healthz");
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(healthy.body()).contains("\"status\":\"ok\"").contains("\"engines_healthy\":1")
                .doesNotContain(String.valueOf(proxy.engine.port()));
        proxy.engine.close();
        // the answer is cached for one second: by 1.1 s it must say the engine is down
        HttpResponse<String> down = Eventually.within(Duration.ofMillis(1100), "/healthz no longer 200",
                () -> proxy.get("/healthz"), r -> r.statusCode() != 200);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"status\":\"unavailable\"").contains("\"engines_healthy\":0");
    }

    @Test
    void streamWithTheEngineDownIs503WithRetryAfter() throws Exception {
        proxy.engine.close();
        HttpResponse<String> response = proxy.get("/ace/getstream?id=" + ID);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.body()).contains("\"error\":\"engine_unavailable\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ace/status?id=nothex", "/ace/status?id=", "/ace/status?id=" + ID + "&id=" + ID,
        "/ace/status?id=" + ID + "&infohash=" + ID, "/ace/status?foo=1", "/api/v1/streams?verbose=1",
        "/metrics?x=", "/healthz?probe=1", "/ace/status?id=%C3%28"})
    void badQueriesOnEveryEndpointAre400Json(String target) throws Exception {
        HttpResponse<String> response = proxy.get(target);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{\"error\":\"").contains("\"message\":\"");
        assertThat(proxy.engine.getstreamCalls()).isZero();
    }

    @Test
    void otherMethodsOnStatusEndpointsAre405() throws Exception {
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void unknownPathsAreJson404() throws Exception {
        HttpResponse<String> response = proxy.get("/nothing/here");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"not_found\"");
    }
}
