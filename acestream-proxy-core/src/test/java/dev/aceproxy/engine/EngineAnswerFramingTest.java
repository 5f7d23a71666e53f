package dev.aceproxy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JSON answers whose body ends where the engine closes the connection: no {@code Content-Length},
 * no chunking, as the engine sends its redirects and errors.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EngineAnswerFramingTest {

    private static final String HEX = AceEngineClientTest.HEX;
    private static final ContentId CONTENT = AceEngineClientTest.CONTENT;
    private static final String KEY = "/" + HEX + "/k";

    private ScriptedEngine engine;
    private AceEngineClient client;
    private String base;

    @BeforeEach
    void start() throws IOException {
        engine = new ScriptedEngine();
        base = engine.baseUri().toString();
        client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        engine.close();
    }

    /** An answer with no framing field: the body runs to the connection's close. */
    static byte[] closeDelimited(String version, int status, String extraHeaders, String body) {
        String head = version + " " + status + " X\r\nContent-Type: application/json\r\n" + extraHeaders + "\r\n";
        return (head + body).getBytes(StandardCharsets.UTF_8);
    }

    private String getstreamAnswer() {
        return """
                {"response": {"playback_url": "%s/ace/r%s", "stat_url": "%s/ace/stat%s", "command_url": "%s/ace/cmd%s",
                 "infohash": "%s", "playback_session_id": "p1", "is_live": 1, "is_encrypted": 0}, "error": null}
                """.formatted(base, KEY, base, KEY, base, KEY, HEX);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
    void readsACloseDelimitedGetstreamAnswer(String version) throws Exception {
        engine.on("/ace/getstream", r -> closeDelimited(version, 200, "", getstreamAnswer()));

        EngineSession session = client.startSession(CONTENT, Map.of());

        assertThat(session.playbackSessionId()).isEqualTo("p1");
        assertThat(session.playbackUri().toString()).isEqualTo(base + "/ace/r" + KEY);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
    void readsCloseDelimitedControlAnswers(String version) throws Exception {
        engine.on("/ace/getstream", r -> closeDelimited(version, 200, "", getstreamAnswer()));
        engine.on("/ace/stat" + KEY, r -> closeDelimited(version, 200, "",
                "{\"response\": {\"status\": \"dl\", \"peers\": 7, \"downloaded\": 1234}, \"error\": null}"));
        engine.on("/ace/cmd" + KEY, r -> closeDelimited(version, 200, "", "{\"response\": \"ok\", \"error\": null}"));
        engine.on("/webui/api/service", r -> closeDelimited(version, 200, "",
                "{\"result\": {\"code\": 3017000, \"platform\": \"linux\", \"version\": \"3.1.70\"}, \"error\": null}"));
        EngineSession session = client.startSession(CONTENT, Map.of());

        assertThat(client.stats(session)).isEqualTo(new EngineStats("dl", 7, 0, 0, 1234, 0));
        client.stop(session);
        assertThat(client.probe()).isEqualTo(new EngineVersion("3.1.70", 3017000, "linux"));
        assertThat(engine.requests()).hasSize(4);
    }

    @Test
    void readsABodyThatArrivesInPiecesBeforeTheClose() throws Exception {
        byte[] whole = closeDelimited("HTTP/1.1", 200, "Connection: keep-alive\r\n", getstreamAnswer());
        engine.onWire("/ace/getstream", out -> {
            for (int at = 0; at < whole.length; at += 37) {
                out.write(whole, at, Math.min(37, whole.length - at));
                out.flush();
                Thread.sleep(5); // the scenario: the body arrives in pieces
            }
        });

        assertThat(client.startSession(CONTENT, Map.of()).playbackSessionId()).isEqualTo("p1");
    }

    @Test
    void aCloseDelimitedRedirectIsFollowed() throws Exception {
        engine.on("/ace/getstream", r -> closeDelimited("HTTP/1.1", 302, "Location: /ace/getstream2\r\n",
                "<html>moved</html>"));
        engine.on("/ace/getstream2", r -> closeDelimited("HTTP/1.1", 200, "", getstreamAnswer()));

        assertThat(client.startSession(CONTENT, Map.of()).playbackSessionId()).isEqualTo("p1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
    void aCloseDelimitedErrorKeepsItsText(String version) {
        engine.on("/ace/getstream", r -> closeDelimited(version, 500, "", "internal engine trouble"));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOfSatisfying(EngineUnavailableException.class,
                        e -> assertThat(e.engineError()).contains("internal engine trouble"))
                .hasMessageEndingWith("with HTTP 500: internal engine trouble");
    }

    @Test
    void aCloseDelimitedAnswerIsStillBounded() {
        String padding = " ".repeat(AceEngineClient.MAX_ANSWER_BYTES);
        engine.on("/ace/getstream", r -> closeDelimited("HTTP/1.1", 200, "", "{\"error\": \"x\"}" + padding));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("with a body larger than 1048576 bytes");
    }

    @Test
    void aCloseDelimitedAnswerCutBeforeItsEndIsNotJson() {
        String answer = getstreamAnswer();
        engine.on("/ace/getstream", r -> closeDelimited("HTTP/1.1", 200, "", answer.substring(0, answer.length() / 2)));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageContaining("with a body that is not the expected JSON: malformed JSON");
    }
}
