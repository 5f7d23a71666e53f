package dev.aceproxy.server.faults;

import static dev.aceproxy.server.faults.FaultRig.ID_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.jetty.AceProxyHttpServer;
import dev.aceproxy.registry.EnginePoolPolicy;
import dev.aceproxy.registry.RetryPolicy;
import dev.aceproxy.registry.StreamRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's answers are untrusted: a getstream body that points elsewhere, is huge, nested
 * without end or otherwise unusable is refused with a 502 at the HTTP edge (a redirect to another
 * host with a 404), and no url it names is ever requested, on the engine or anywhere else.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileEngineTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String HASH = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    static Stream<Arguments> hostileAnswers() {
        return Stream.of(
                Arguments.of("file: scheme", urls("file:///etc/passwd")),
                Arguments.of("ftp: scheme", urls("ftp://127.0.0.1/ace/r/x")),
                Arguments.of("javascript: url", urls("javascript:alert(1)")),
                Arguments.of("relative url", urls("/ace/r/" + HASH + "/" + KEY)),
                Arguments.of("user info", urls("http://user:pw@OTHER/ace/r/" + HASH + "/" + KEY)),
                Arguments.of("path outside /ace/", urls("http://OTHER/admin/r/" + HASH)),
                Arguments.of("dot segments", urls("http://OTHER/ace/../webui/api/service?method=x")),
                Arguments.of("encoded dot segments", urls("http://OTHER/ace/%2e%2e/server/api")),
                Arguments.of("fragment", urls("http://OTHER/ace/r/" + HASH + "/" + KEY + "#x")),
                Arguments.of("url not a string", CraftedEngine.json(
                        "{\"response\": {\"playback_url\": 1, \"stat_url\": 2, \"command_url\": 3, \"infohash\": \""
                                + HASH + "\"}, \"error\": null}")),
                Arguments.of("missing urls", CraftedEngine.json("{\"response\": {\"infohash\": \"" + HASH
                        + "\"}, \"error\": null}")),
                Arguments.of("body over the 1 MiB bound", CraftedEngine.hugeJson(3 << 20)),
                Arguments.of("nesting 100 000 deep", CraftedEngine.json("[".repeat(100_000) + "]".repeat(100_000))),
                Arguments.of("nesting inside the response", CraftedEngine.json(
                        "{\"response\": " + "{\"a\": ".repeat(5000) + "1" + "}".repeat(5000) + ", \"error\": null}")),
                Arguments.of("not UTF-8", CraftedEngine.json(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'})),
                Arguments.of("a JSON array", CraftedEngine.json("[]")),
                Arguments.of("trailing garbage", CraftedEngine.json("{\"response\": null, \"error\": null} xyz")));
    }

    private static byte[] urls(String url) {
        return CraftedEngine.json("{\"response\": {\"playback_url\": \"" + url + "\", \"stat_url\": \"" + url
                + "\", \"command_url\": \"" + url + "\", \"infohash\": \"" + HASH
                + "\", \"playback_session_id\": \"" + HASH + "\", \"is_live\": 1, \"is_encrypted\": 0}, \"error\": null}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileAnswers")
    void aHostileGetstreamAnswerIsA502AndNothingItNamesIsRequested(String name, byte[] answer) throws Exception {
        refusedWithoutRequestingWhatItNames(answer, 502, "engine_protocol");
    }

    /**
     * A getstream redirect to another host is never followed: the engine will not play the
     * content here, which is a content problem (404), not an engine fault.
     */
    @Test
    void aGetstreamRedirectToAnotherHostIsA404AndThatHostIsNeverAsked() throws Exception {
        refusedWithoutRequestingWhatItNames(("HTTP/1.1 302 Found\r\nLocation: http://OTHER/ace/r/" + HASH + "/" + KEY
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(), 404, "content_unavailable");
    }

    private void refusedWithoutRequestingWhatItNames(byte[] answer, int status, String error) throws Exception {
        try (CraftedEngine other = new CraftedEngine(t -> new byte[0]);
             CraftedEngine engine = new CraftedEngine(t -> answerFor(answer, other.port()));
             AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri())
                     .getstreamTimeout(Duration.ofSeconds(3)).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(client)
                     .sessionPolicy(FaultRig.SESSIONS)
                     .retryPolicy(new RetryPolicy(Duration.ofMillis(20), 2.0, Duration.ofMillis(50), 0.0, 2,
                             Duration.ofSeconds(30)))
                     .enginePoolPolicy(new EnginePoolPolicy(Duration.ofHours(1), 3)).build();
             AceProxyHttpServer server = AceProxyHttpServer.newBuilder().registry(registry).port(0)
                     .stopTimeout(Duration.ofMillis(200)).build()) {
            server.start();
            RawExchange answerSeen = RawExchange.get(server.port(), "/ace/getstream?id=" + ID_A);
            assertThat(answerSeen.status()).as(answerSeen.toString()).isEqualTo(status);
            assertThat(answerSeen.body()).contains("\"error\":\"" + error + "\"");
            assertThat(engine.targets()).as("requests the engine got")
                    .allMatch(t -> t.startsWith("/ace/getstream") || t.startsWith("/webui/api/service"));
            assertThat(other.connections()).as("connections to the host the answer named").isZero();
            assertThat(registry.status().sessions()).isEmpty();
        }
    }

    private static byte[] answerFor(byte[] template, int otherPort) {
        String text = new String(template, java.nio.charset.StandardCharsets.ISO_8859_1);
        return text.contains("OTHER")
                ? text.replace("OTHER", "127.0.0.1:" + otherPort).replaceFirst("Content-Length: \\d+",
                        "Content-Length: " + fixedLength(text.replace("OTHER", "127.0.0.1:" + otherPort)))
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)
                : template;
    }

    private static int fixedLength(String answer) {
        return answer.length() - answer.indexOf("\r\n\r\n") - 4;
    }
}
