package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AccessTokenFilterTest {

    private static final String TOKEN = "s3cr3t-t0ken";

    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = ProxyFixture.start(UnaryOperator.identity(), EndpointOptions.DEFAULT.withAccessToken(TOKEN));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ace/getstream?id=" + ID, "/ace/status", "/api/v1/streams", "/metrics",
        "/ace/getstream?id=" + ID + "&token=wrong", "/ace/status?token=" + TOKEN + "x", "/metrics?token="})
    void everyEndpointButHealthNeedsTheToken(String target) throws Exception {
        HttpResponse<String> response = proxy.get(target);
        assertThat(response.statusCode()).isIn(400, 401);
        if (response.statusCode() == 401) {
            assertThat(response.body()).contains("\"error\":\"unauthorized\"");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertThat(response.body()).doesNotContain(TOKEN);
        assertThat(proxy.engine.getstreamCalls()).isZero();
    }

    @Test
    void missingTokenIs401() throws Exception {
        assertThat(proxy.get("/ace/status").statusCode()).isEqualTo(401);
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        assertThat(proxy.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void tokenInQueryOrBearerHeaderIsAccepted() throws Exception {
        assertThat(proxy.get("/ace/status?token=" + TOKEN).statusCode()).isEqualTo(200);
        assertThat(proxy.send(HttpRequest.newBuilder(proxy.uri("/api/v1/streams"))
                .header("Authorization", "Bearer " + TOKEN)).statusCode()).isEqualTo(200);
        HttpResponse<InputStream> stream = proxy.http.send(
                HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID + "&token=" + TOKEN)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(body.readNBytes(188)).hasSize(188);
            assertThat(proxy.get("/api/v1/streams?token=" + TOKEN).body()).doesNotContain(TOKEN);
        }
    }
}
