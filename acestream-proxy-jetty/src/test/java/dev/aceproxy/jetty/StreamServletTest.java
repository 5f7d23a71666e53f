package dev.aceproxy.jetty;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import static dev.aceproxy.jetty.ProxyFixture.ID;
import static dev.aceproxy.jetty.ProxyFixture.OTHER_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.registry.Limits;
import dev.aceproxy.testkit.GetstreamFault;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StreamServletTest {

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
    void streamsMpegTsFromTheEngine() throws Exception {
        HttpResponse<InputStream> response = proxy.http.send(
                HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("video/mp2t");
            // About 2 s of the clip, checked byte for byte against it.
            byte[] packets = body.readNBytes(188 * 2400);
            assertThat(packets).hasSize(188 * 2400);
            StreamOracle.ofBundledClip().verify(packets, StreamExpectation.fromAnEntryPoint());
        }
        assertThat(proxy.engine.getstreamCalls()).isEqualTo(1);
    }

    @Test
    void trailingSlashAndInfohashWork() throws Exception {
        HttpResponse<InputStream> response = proxy.http.send(
                HttpRequest.newBuilder(proxy.uri("/ace/getstream/?infohash=" + ID.toUpperCase())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(body.readNBytes(188)).hasSize(188);
        }
    }

    @Test
    void pidIsIgnoredAndAllowedParametersPass() throws Exception {
        HttpResponse<InputStream> response = proxy.http.send(HttpRequest.newBuilder(
                        proxy.uri("/ace/getstream?id=" + ID + "&pid=12345&transcode_audio=0")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(body.readNBytes(188)).hasSize(188);
        }
    }

    @Test
    void headAnswersSuccessHeadersWithoutTouchingTheEngine() throws Exception {
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("video/mp2t");
        assertThat(proxy.engine.getstreamCalls()).isZero();
        assertThat(proxy.registry.status().sessions()).isEmpty();
    }

    @Test
    void headValidatesToo() throws Exception {
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=nope"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                            | missing_content",
        "?pid=1                                        | missing_content",
        "?id=" + ID + "&infohash=" + ID + "            | ambiguous_content",
        "?id=1234                                      | invalid_content",
        "?id=zz23456789abcdef0123456789abcdef01234567  | invalid_content",
        "?id=                                          | empty_parameter",
        "?id=" + ID + "&id=" + ID + "                  | repeated_parameter",
        "?id=" + ID + "&url=http://evil.example/x.ts   | parameter_refused",
        "?magnet=magnet:?xt=urn:btih:abc               | parameter_refused",
        "?id=" + ID + "&direct_url=http://x            | parameter_refused",
        "?content_id=" + ID + "                        | parameter_refused",
        "?id=" + ID + "&format=json                    | parameter_refused",
        "?id=" + ID + "&sid=1                          | parameter_refused",
        "?id=" + ID + "&stop_prev_read_thread=1        | unknown_parameter",
        "?id=" + ID + "&junk=1                         | unknown_parameter",
        "?id=" + ID + "&transcode_audio=%3Cscript%3E   | invalid_parameter",
        "?id=" + ID + "&transcode_audio=               | empty_parameter",
        "?id=%C3%28                                    | invalid_query",
        "?=x                                           | invalid_query"
    })
    void badRequestsAnswer400WithJsonAndNoEngineCall(String query, String code) throws Exception {
        HttpResponse<String> response = proxy.get("/ace/getstream" + query);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).contains("\"error\":\"" + code + "\"").contains("\"message\":\"");
        assertThat(proxy.engine.getstreamCalls()).isZero();
    }

    @Test
    void hugeValuesAndTooManyParametersAre400() throws Exception {
        assertThat(proxy.get("/ace/getstream?id=" + "a".repeat(1000)).statusCode()).isEqualTo(400);
        assertThat(proxy.get("/ace/getstream?id=" + ID + "&x".repeat(40)).body()).contains("too_many_parameters");
        assertThat(proxy.get("/ace/getstream?id=" + ID + "&transcode_audio=" + "1".repeat(100)).body())
                .contains("invalid_parameter");
        assertThat(proxy.engine.getstreamCalls()).isZero();
    }

    @Test
    void otherMethodsAre405WithAllow() throws Exception {
        HttpResponse<String> response = proxy.send(HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID))
                .POST(HttpRequest.BodyPublishers.ofString("x")));
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(response.body()).contains("\"error\":\"method_not_allowed\"");
        // A fresh connection: after a POST whose body it did not read, the server may close the
        // connection while a pooling client is already reusing it.
        try (HttpClient fresh = HttpClient.newHttpClient()) {
            HttpResponse<String> delete = fresh.send(HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID))
                    .DELETE().timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(delete.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aPlayerThatLeavesWhileItsStreamStartsEndsTheStartAndTheEngineSession() throws Exception {
        dev.aceproxy.testkit.FakeAceEngine slow = dev.aceproxy.testkit.FakeAceEngine.builder()
                .prebufferDelay(java.time.Duration.ofSeconds(20)).start();
        try (ProxyFixture own = ProxyFixture.start(slow, b -> b.sessionPolicy(dev.aceproxy.registry.SessionPolicy.DEFAULT
                        .withStartTimeout(java.time.Duration.ofSeconds(30)).withLinger(java.time.Duration.ofSeconds(20))),
                EndpointOptions.DEFAULT)) {
            try (java.net.Socket player = new java.net.Socket("127.0.0.1", own.server.port())) {
                player.getOutputStream().write(("GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                assertThat(slow.awaitEvent(dev.aceproxy.testkit.EngineEvent.Kind.SESSION_STARTED,
                        java.time.Duration.ofSeconds(10))).isNotNull();
            }
            // The player left during the engine's 20 s prebuffer: without noticing, the proxy would
            // hold the engine session until the start, then 20 s of linger.
            assertThat(slow.awaitEvent(dev.aceproxy.testkit.EngineEvent.Kind.SESSION_STOPPED,
                    java.time.Duration.ofSeconds(5))).as("the engine session is stopped at once").isNotNull();
            assertThat(own.registry.status().sessions()).isEmpty();
            assertThat(slow.stopCalls()).isEqualTo(slow.getstreamCalls());
        }
    }

    @Test
    void otherEngineParametersForAPlayingContentAre409() throws Exception {
        HttpResponse<java.io.InputStream> playing = proxy.http.send(
                java.net.http.HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = playing.body()) {
            assertThat(body.readNBytes(188)).hasSize(188);
            HttpResponse<String> other = proxy.get("/ace/getstream?id=" + ID + "&transcode_audio=1");
            assertThat(other.statusCode()).isEqualTo(409);
            assertThat(other.body()).contains("\"error\":\"parameters_conflict\"").contains("transcode_audio");
            assertThat(proxy.engine.getstreamCalls()).isEqualTo(1);
        }
    }

    @Test
    void contentTheEngineCannotLoadIs404() throws Exception {
        proxy.engine.markUnavailable(ID);
        HttpResponse<String> response = proxy.get("/ace/getstream?id=" + ID);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"content_unavailable\"");
    }

    @Test
    void nonsenseFromTheEngineIs502() throws Exception {
        proxy.engine.getstreamFault(GetstreamFault.malformedJson());
        HttpResponse<String> response = proxy.get("/ace/getstream?id=" + ID);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"error\":\"engine_");
    }

    @Test
    void engineServerErrorIs502() throws Exception {
        proxy.engine.getstreamFault(GetstreamFault.httpStatus(500));
        HttpResponse<String> response = proxy.get("/ace/getstream?id=" + ID);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"error\":\"engine_");
    }

    @Test
    void engineThatDoesNotAnswerIs504() throws Exception {
        proxy.engine.getstreamFault(GetstreamFault.noAnswer());
        HttpResponse<String> response = proxy.get("/ace/getstream?id=" + ID);
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("\"error\":\"engine_timeout\"");
    }

    @Test
    void limitIs503WithRetryAfter() throws Exception {
        proxy.close();
        proxy = ProxyFixture.withLimits(new Limits(1, 0, 0, Duration.ofSeconds(7)));
        HttpResponse<InputStream> first = proxy.http.send(
                HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = first.body()) {
            assertThat(body.readNBytes(188)).hasSize(188);
            HttpResponse<String> second = proxy.get("/ace/getstream?id=" + OTHER_ID);
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(second.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(second.body()).contains("\"error\":\"limit_reached\"");
        }
    }
}
