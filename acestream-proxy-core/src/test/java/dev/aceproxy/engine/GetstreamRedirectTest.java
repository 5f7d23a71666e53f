package dev.aceproxy.engine;

import static dev.aceproxy.engine.ScriptedEngine.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code 302} answer to the {@code format=json} getstream call: followed on the engine's own host
 * and port, a content problem anywhere else. The engine sends its redirects without
 * {@code Content-Length} and closes the connection after them; so do these.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GetstreamRedirectTest {

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

    /** A redirect as the engine sends it: no Content-Length, no Connection field, closed after. */
    static byte[] engineRedirect(String location) {
        return ("HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Type: text/html\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private String sessionJson() {
        return """
                {"response": {"playback_url": "%s/ace/r%s", "stat_url": "%s/ace/stat%s", "command_url": "%s/ace/cmd%s",
                 "infohash": "%s", "playback_session_id": "s2", "is_live": 1, "is_encrypted": 0}, "error": null}
                """.formatted(base, KEY, base, KEY, base, KEY, HEX);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"relative", "absolute", "absolute, scheme in capitals"})
    void followsARedirectOnTheEnginesHostAndPort(String form) throws Exception {
        String path = "/ace/getstream2?format=json&id=" + HEX;
        String location = switch (form) {
            case "relative" -> path;
            case "absolute" -> base + path;
            default -> base.replace("http://", "HTTP://") + path;
        };
        engine.on("/ace/getstream", r -> engineRedirect(location));
        engine.json("/ace/getstream2", sessionJson());

        EngineSession session = client.startSession(CONTENT, Map.of());

        assertThat(session.playbackSessionId()).isEqualTo("s2");
        assertThat(session.playbackUri()).isEqualTo(URI.create(base + "/ace/r" + KEY));
        assertThat(engine.requests()).hasSize(2);
        assertThat(engine.requests().get(1)).startsWith("GET " + path + " HTTP/1.1");
    }

    @Test
    void theJsonAtTheTargetMayCarryAnEngineError() {
        engine.on("/ace/getstream", r -> engineRedirect("/ace/getstream2"));
        engine.json("/ace/getstream2", "{\"response\": null, \"error\": \"failed to load content\"}");

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isExactlyInstanceOf(ContentUnavailableException.class)
                .hasMessageEndingWith("cannot play id=" + HEX + ": failed to load content");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://10.1.2.3:6878/ace/getstream?id=x", "http://127.0.0.2:{port}/ace/getstream",
            "http://127.0.0.1:{other}/ace/getstream", "//example.com/ace/getstream"})
    void aRedirectToAnotherHostIsAContentProblemNamingTheRedirect(String target) {
        int port = URI.create(base).getPort();
        String location = target.replace("{port}", String.valueOf(port))
                .replace("{other}", String.valueOf(port == 65535 ? port - 1 : port + 1));
        engine.on("/ace/getstream", r -> engineRedirect(location));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOfSatisfying(ContentRedirectedException.class, e -> {
                    assertThat(e).isInstanceOf(ContentUnavailableException.class);
                    assertThat(e.location()).isEqualTo(location);
                    assertThat(e.engineError()).isEmpty();
                })
                .hasMessage("AceStream engine at " + base + " redirected the session start for id=" + HEX
                        + " (HTTP 302) to " + location + ", on another host: the client sends requests only to"
                        + " the engine at " + base);
        assertThat(engine.requests()).hasSize(1);
    }

    @Test
    void aRedirectOnTheEngineOutsideItsPathsIsRefused() {
        engine.on("/ace/getstream", r -> engineRedirect("/webui/api/service?method=get_version"));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("which is refused: its path is not under /ace/");
        assertThat(engine.requests()).hasSize(1);
    }

    @Test
    void aRedirectWithoutLocationIsAProtocolError() {
        engine.on("/ace/getstream", r -> "HTTP/1.1 302 Found\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessage("AceStream engine at " + base + " redirected the session start for id=" + HEX
                        + " (HTTP 302) without a Location");
    }

    @Test
    void endlessRedirectsOnTheEngineStop() {
        engine.on("/ace/getstream", r -> engineRedirect("/ace/getstream"));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("redirected the session start for id=" + HEX + " more than 5 times");
        assertThat(engine.requests()).hasSize(1 + AceEngineClient.MAX_REDIRECTS);
    }

    @Test
    void theHopsShareOneGetstreamTimeout() throws Exception {
        client.close();
        client = AceEngineClient.newBuilder().baseUri(engine.baseUri())
                .getstreamTimeout(Duration.ofMillis(600)).build();
        engine.on("/ace/getstream", r -> {
            sleep(250); // the scenario: each hop is slow, and together they outlast the timeout
            return engineRedirect("/ace/getstream");
        });

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineTimeoutException.class)
                .hasMessageContaining("did not answer the session start for id=" + HEX + " within 600 ms");
        assertThat(engine.requests()).hasSizeLessThan(4);
    }

    @Test
    void aRedirectedErrorIsStillAnHttpError() {
        engine.on("/ace/getstream", r -> engineRedirect("/ace/gone"));
        engine.on("/ace/gone", r -> response(503, "text/plain", "busy"));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageEndingWith("with HTTP 503: busy");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
