package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static dev.aceproxy.testkit.EngineCalls.OTHER_CONTENT;
import static dev.aceproxy.testkit.EngineCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EngineEndpointsTest {

    private FakeAceEngine engine;

    @BeforeEach
    void start() throws IOException {
        engine = FakeAceEngine.start();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void getstreamJsonHasTheEngineShapeWithAbsoluteUrls() throws Exception {
        HttpResponse<String> response = get(engine, "/ace/getstream?format=json&id=" + CONTENT + "&pid=p1");

        String infohash = FakeAceEngine.infohashOf(CONTENT);
        String base = "http://127.0.0.1:" + engine.port();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).matches("\\{\"response\": \\{"
                + "\"playback_url\": \"" + base + "/ace/r/" + infohash + "/([0-9a-f]{32})\", "
                + "\"stat_url\": \"" + base + "/ace/stat/" + infohash + "/\\1\", "
                + "\"command_url\": \"" + base + "/ace/cmd/" + infohash + "/\\1\", "
                + "\"event_url\": \"" + base + "/ace/event/" + infohash + "/\\1\", "
                + "\"infohash\": \"" + infohash + "\", "
                + "\"playback_session_id\": \"[0-9a-f]{40}\", "
                + "\"is_live\": 1, \"is_encrypted\": 0, \"client_session_id\": -1\\}, "
                + "\"error\": null\\}");
        assertThat(engine.getstreamCalls()).isEqualTo(1);
        assertThat(engine.openSessions()).isEqualTo(1);
    }

    @Test
    void infohashRequestUsesTheInfohashItself() throws Exception {
        String body = get(engine, "/ace/getstream?format=json&infohash=" + OTHER_CONTENT.toUpperCase()).body();

        assertThat(body).contains("\"infohash\": \"" + OTHER_CONTENT + "\"", "/ace/r/" + OTHER_CONTENT + "/");
    }

    @Test
    void errorsAreEngineJson() throws Exception {
        engine.markUnavailable(OTHER_CONTENT.toUpperCase());

        assertThat(get(engine, "/ace/getstream?format=json&pid=x").body())
                .isEqualTo("{\"response\": null, \"error\": \"missing content id\"}");
        assertThat(get(engine, "/ace/getstream?format=json&id=12345").body())
                .isEqualTo("{\"response\": null, \"error\": \"invalid content id\"}");
        assertThat(get(engine, "/ace/getstream?format=json&id=" + CONTENT.replace('a', 'g')).body())
                .isEqualTo("{\"response\": null, \"error\": \"invalid content id\"}");
        HttpResponse<String> unavailable = get(engine, "/ace/getstream?format=json&id=" + OTHER_CONTENT);
        assertThat(unavailable.statusCode()).isEqualTo(200);
        assertThat(unavailable.body()).isEqualTo("{\"response\": null, \"error\": \"failed to load content\"}");
        assertThat(engine.openSessions()).isZero();
        assertThat(engine.getstreamCalls()).isEqualTo(4);
    }

    @Test
    void redirectFormAnswers302ToThePlaybackUrl() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);

        HttpResponse<String> response = get(engine, "/ace/getstream?id=" + CONTENT + "&pid=test");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("location")).hasValue(session.playback().toString());
        assertThat(get(engine, "/ace/getstream?id=nothex").statusCode()).isEqualTo(500);
    }

    @Test
    void advertisedBaseUriGoesIntoTheUrls() throws Exception {
        try (FakeAceEngine behindMap = FakeAceEngine.builder()
                .advertisedBaseUri(URI.create("http://engine.internal:6878")).start()) {
            String body = get(behindMap, "/ace/getstream?format=json&id=" + CONTENT).body();

            assertThat(body).contains("\"playback_url\": \"http://engine.internal:6878/ace/r/",
                    "\"stat_url\": \"http://engine.internal:6878/ace/stat/");
        }
    }

    @Test
    void statHasTheEngineShapeUntilStop() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);

        String stat = get(session.stat()).body();

        assertThat(stat).matches("\\{\"response\": \\{\"status\": \"dl\", \"peers\": 7, \"speed_down\": 0, "
                + "\"speed_up\": 0, \"downloaded\": 0, \"uploaded\": 0, \"total_progress\": 0, "
                + "\"livepos\": \\{\"pos\": \"\\d+\", \"live_first\": \"\\d+\", \"live_last\": \"\\d+\", "
                + "\"first_ts\": \"\\d+\", \"last_ts\": \"\\d+\", \"buffer_pieces\": \"15\"\\}\\}, "
                + "\"error\": null\\}");
        assertThat(get(session.stop()).body()).isEqualTo("{\"response\": \"ok\", \"error\": null}");
        assertThat(get(session.stat()).body())
                .isEqualTo("{\"response\": null, \"error\": \"unknown playback session id\"}");
        assertThat(get(session.stop()).body())
                .isEqualTo("{\"response\": null, \"error\": \"unknown playback session id\"}");
        assertThat(engine.openSessions()).isZero();
        assertThat(engine.statCalls()).isEqualTo(2);
        assertThat(engine.stopCalls()).isEqualTo(2);
    }

    @Test
    void newSessionAfterStopHasNewUrls() throws Exception {
        EngineCalls.Session first = EngineCalls.start(engine, CONTENT);
        get(first.stop());

        EngineCalls.Session second = EngineCalls.start(engine, CONTENT);

        assertThat(second.playback()).isNotEqualTo(first.playback());
        assertThat(engine.openSessions()).isEqualTo(1);
    }

    @Test
    void serviceEndpointsUseTheResultEnvelope() throws Exception {
        assertThat(get(engine, "/webui/api/service?method=get_version").body())
                .isEqualTo("{\"result\": {\"code\": 3017000, \"platform\": \"linux\", \"version\": \"3.1.70\"}, \"error\": null}");
        assertThat(get(engine, "/server/api?api_version=3&method=get_status").body())
                .startsWith("{\"result\": {\"playlist_loaded\": true");
        assertThat(get(engine, "/server/api?api_version=3&method=nope").body())
                .isEqualTo("{\"result\": null, \"error\": {\"message\": \"unknown method\", \"code\": 0}}");
        assertThat(engine.versionCalls()).isEqualTo(1);
        assertThat(engine.statusCalls()).isEqualTo(1);
    }

    @Test
    void configuredVersionDerivesItsCode() throws Exception {
        try (FakeAceEngine other = FakeAceEngine.builder().version("3.2.11").start()) {
            assertThat(get(other, "/webui/api/service?method=get_version").body())
                    .contains("\"code\": 3021100", "\"version\": \"3.2.11\"");
        }
    }

    @Test
    void unknownPathsAndSessionsAre404() throws Exception {
        assertThat(get(engine, "/nothing").statusCode()).isEqualTo(404);
        assertThat(get(engine, "/ace/r/" + CONTENT + "/00000000000000000000000000000000").statusCode()).isEqualTo(404);
        assertThat(get(engine, "/ace/r/only-one-part").statusCode()).isEqualTo(404);
    }

    @Test
    void idleSessionsExpireWhenConfigured() throws Exception {
        try (FakeAceEngine expiring = FakeAceEngine.builder().sessionIdleTimeout(Duration.ofSeconds(2)).start()) {
            EngineCalls.Session session = EngineCalls.start(expiring, CONTENT);
            assertThat(expiring.openSessions()).isEqualTo(1);

            // expiry is applied when the table is consulted, so ask until it has been
            Eventually.within(Duration.ofSeconds(10), "the idle session expired", expiring::openSessions,
                    open -> open == 0);
            assertThat(get(session.stat()).body()).contains("unknown playback session id");
        }
    }

    @Test
    void malformedRequestsAreRefused() throws Exception {
        assertThat(rawStatusLine("GET /ace/getstream HTTP/1.1\nHost: x\n\n")).startsWith("HTTP/1.1 400");
        assertThat(rawStatusLine("GET /x HTTP/2.0\r\n\r\n")).startsWith("HTTP/1.1 505");
        assertThat(rawStatusLine("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 414");
        assertThat(rawStatusLine("GET /x HTTP/1.1\r\n" + "X-A: b\r\n".repeat(101) + "\r\n")).startsWith("HTTP/1.1 431");
        assertThat(rawStatusLine("POST /ace/getstream HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 405");
    }

    private String rawStatusLine(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", engine.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.lines().findFirst().orElse("");
        }
    }
}
