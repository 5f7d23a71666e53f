package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Without a token, web pages cannot reach the stream or the status; players still can. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostGuardTest {

    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = ProxyFixture.start(UnaryOperator.identity(), EndpointOptions.DEFAULT.withAllowedHosts(List.of("tv.lan")));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host: evil.example", "Host: evil.example:8080", "Host: 127.0.0.1.evil.example",
        "Host: tv.lan.evil.example", "Host: [::2]:80", "Host: 10.1.2.3",
        "Host: 127.0.0.1\r\nSec-Fetch-Site: cross-site",
        "Host: 127.0.0.1\r\nOrigin: http://evil.example", "Host: 127.0.0.1\r\nOrigin: null",
        "Host: 127.0.0.1\r\nOrigin: http://127.0.0.1.evil.example:80"})
    void aWebPageIsRefusedOnStreamAndStatus(String headers) throws Exception {
        for (String target : List.of("/ace/getstream?id=" + ID, "/api/v1/streams", "/metrics", "/ace/status")) {
            RawHttp.Answer answer = send(target, headers);
            assertThat(answer.status()).as(target + " with " + headers).isEqualTo(403);
            assertThat(answer.body()).contains("\"error\":").containsAnyOf("host_not_allowed", "cross_site_request");
        }
        assertThat(proxy.engine.getstreamCalls()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host: 127.0.0.1", "Host: localhost:1234", "Host: LOCALHOST", "Host: [::1]:8080",
        "Host: 127.0.0.2", "Host: tv.lan", "Host: TV.LAN.:80",
        "Host: 127.0.0.1\r\nSec-Fetch-Site: same-origin", "Host: 127.0.0.1\r\nSec-Fetch-Site: none",
        "Host: tv.lan\r\nOrigin: http://tv.lan:8096", "Host: localhost\r\nOrigin: http://localhost:3000"})
    void playersAndPagesOfThisServerPass(String headers) throws Exception {
        assertThat(send("/api/v1/streams", headers).status()).as(headers).isEqualTo(200);
    }

    @Test
    void healthAnswersWhateverTheHost() throws Exception {
        assertThat(send("/healthz", "Host: evil.example\r\nSec-Fetch-Site: cross-site").status()).isEqualTo(200);
    }

    @Test
    void aPlayerStreamsWithALoopbackHost() throws Exception {
        RawHttp.Answer answer = send("/ace/getstream?id=" + ID, "Host: localhost");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().length()).isGreaterThan(188);
    }

    @Test
    void withATokenTheTokenRules() throws Exception {
        String token = "a-long-enough-token-1234";
        try (ProxyFixture own = ProxyFixture.start(UnaryOperator.identity(),
                EndpointOptions.DEFAULT.withAccessToken(token))) {
            RawHttp.Answer answer = RawHttp.exchange(own.server.port(), ("GET /api/v1/streams?token=" + token
                    + " HTTP/1.1\r\nHost: my-nas.example\r\nSec-Fetch-Site: cross-site\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(answer.status()).isEqualTo(200);
        }
    }

    private RawHttp.Answer send(String target, String headers) throws Exception {
        return RawHttp.exchange(proxy.server.port(), ("GET " + target + " HTTP/1.1\r\n" + headers
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
}
