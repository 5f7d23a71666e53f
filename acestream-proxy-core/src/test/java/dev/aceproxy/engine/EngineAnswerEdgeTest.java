package dev.aceproxy.engine;

import dev.aceproxy.engine.internal.EngineAnswers;
import static dev.aceproxy.engine.ScriptedEngine.redirect;
import static dev.aceproxy.engine.ScriptedEngine.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Engine answers the fake engine does not give, from a scripted loopback server. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EngineAnswerEdgeTest {

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

    private String getstreamAnswer(String host, String playbackPath) {
        return """
                {"response": {"playback_url": "%s%s", "stat_url": "%s/ace/stat%s", "command_url": "%s/ace/cmd%s",
                 "infohash": "%s", "is_live": 1, "is_encrypted": 0, "bitrate": 12.5, "event_url": "x"}, "error": null}
                """.formatted(host, playbackPath, host, KEY, host, KEY, HEX);
    }

    private EngineSession session(String playbackPath) throws Exception {
        engine.json("/ace/getstream", getstreamAnswer(base, playbackPath));
        return client.startSession(CONTENT, Map.of());
    }

    @Test
    void sendsTheGetstreamRequestAsDocumented() throws Exception {
        session("/ace/r" + KEY);

        assertThat(engine.requests()).hasSize(1);
        assertThat(engine.requests().get(0)).matches(
                "GET /ace/getstream\\?format=json&id=" + HEX + "&pid=[0-9a-f-]{36} HTTP/1.1");
    }

    @Test
    void missingOptionalSessionFieldsTakeTheirDefaults() throws Exception {
        engine.json("/ace/getstream", """
                {"response": {"playback_url": "%s/ace/r%s", "stat_url": "%s/ace/stat%s", "command_url": "%s/ace/cmd%s",
                 "infohash": "%s"}}""".formatted(base, KEY, base, KEY, base, KEY, HEX));

        EngineSession session = client.startSession(CONTENT, Map.of());

        assertThat(session.playbackSessionId()).isEmpty();
        assertThat(session.live()).isEqualTo(EngineFlag.UNKNOWN);
        assertThat(session.encrypted()).isEqualTo(EngineFlag.UNKNOWN);
    }

    @ParameterizedTest(name = "is_live {0}, is_encrypted {1}")
    @CsvSource({"-1, 0, UNKNOWN, NO", "1, -1, YES, UNKNOWN", "-1, -1, UNKNOWN, UNKNOWN", "true, false, YES, NO"})
    void minusOneInTheSessionFlagsReadsAsUnknown(String isLive, String isEncrypted, EngineFlag live,
                                                 EngineFlag encrypted) throws Exception {
        engine.json("/ace/getstream", """
                {"response": {"playback_url": "%s/ace/r%s", "stat_url": "%s/ace/stat%s", "command_url": "%s/ace/cmd%s",
                 "infohash": "%s", "is_live": %s, "is_encrypted": %s, "client_session_id": -1}, "error": null}"""
                .formatted(base, KEY, base, KEY, base, KEY, HEX, isLive, isEncrypted));

        EngineSession session = client.startSession(CONTENT, Map.of());

        assertThat(session.live()).isEqualTo(live);
        assertThat(session.encrypted()).isEqualTo(encrypted);
        assertThat(session.live().isKnown()).isEqualTo(live != EngineFlag.UNKNOWN);
    }

    @Test
    void otherNegativeSessionFlagsAreProtocolErrors() {
        engine.json("/ace/getstream", """
                {"response": {"playback_url": "%s/ace/r%s", "stat_url": "%s/ace/stat%s", "command_url": "%s/ace/cmd%s",
                 "infohash": "%s", "is_live": -2}, "error": null}""".formatted(base, KEY, base, KEY, base, KEY, HEX));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("response.is_live: expected a boolean or 0/1, found the number -2");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ftp://10.0.0.1/ace/r/x                | response.playback_url ftp://10.0.0.1/ace/r/x is refused: it is not an absolute http or https url
            /ace/r/x                              | response.playback_url /ace/r/x is refused: it is not an absolute http or https url
            http://user:pw@10.0.0.1/ace/r/x       | response.playback_url http://user:pw@10.0.0.1/ace/r/x is refused: it carries user info
            http://10.0.0.1                       | response.playback_url http://10.0.0.1 is refused: it has no path
            http://10.0.0.1/webui/api/service     | response.playback_url http://10.0.0.1/webui/api/service is refused: its path is not under /ace/
            http://10.0.0.1/ace/../webui/x        | response.playback_url http://10.0.0.1/ace/../webui/x is refused: its path has a dot segment
            http://10.0.0.1/ace/%2e%2e/webui/x    | response.playback_url http://10.0.0.1/ace/%2e%2e/webui/x is refused: its path has a dot segment
            http://10.0.0.1/ace/r/x#frag          | response.playback_url http://10.0.0.1/ace/r/x#frag is refused: it carries a fragment
            http://10.0.0.1/ace/r/a b             | response.playback_url http://10.0.0.1/ace/r/a b is refused: it cannot be parsed (Illegal character in path)
            """)
    void refusesUrlsThatCannotBeRewrittenSafely(String url, String reason) {
        engine.json("/ace/getstream", """
                {"response": {"playback_url": "%s", "stat_url": "%s/ace/stat%s", "command_url": "%s/ace/cmd%s",
                 "infohash": "%s"}, "error": null}""".formatted(url, base, KEY, base, KEY, HEX));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessage("AceStream engine at " + base + " answered the session start for id=" + HEX
                        + " with a url this client will not follow: " + reason);
    }

    @Test
    void keepsTheQueryOfARewrittenUrl() throws Exception {
        EngineSession session = session("/ace/r" + KEY + "?a=1%202&b");

        assertThat(session.playbackUri().toString()).isEqualTo(base + "/ace/r" + KEY + "?a=1%202&b");
    }

    @Test
    void missingOrWronglyTypedFieldsAreProtocolErrorsNamingTheField() {
        engine.json("/ace/getstream", "{\"response\": {\"playback_url\": 5}, \"error\": null}");
        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessage("AceStream engine at " + base + " answered the session start for id=" + HEX
                        + " with JSON this client does not understand: response.playback_url: expected a string,"
                        + " found the number 5");

        engine.json("/ace/getstream", "{\"error\": null}");
        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .hasMessageEndingWith("with JSON this client does not understand: response: missing");

        engine.json("/ace/getstream", "{\"response\": null, \"error\": 42}");
        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .hasMessageEndingWith("with JSON this client does not understand: error: expected a string,"
                        + " an object or null");

        engine.json("/ace/getstream", "[]");
        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .hasMessageEndingWith("with a body that is not the expected JSON: expected a JSON object at the"
                        + " top level, found an array");
    }

    @Test
    void refusesAnOversizedAnswer() {
        String padding = " ".repeat(AceEngineClient.MAX_ANSWER_BYTES);
        engine.json("/ace/getstream", "{\"error\": \"x\"}" + padding);

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessage("AceStream engine at " + base + " answered the session start for id=" + HEX
                        + " with a body larger than 1048576 bytes");
    }

    @Test
    void refusesABodyThatIsNotUtf8() {
        engine.on("/ace/getstream", r -> response(200, "application/json",
                new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, ""));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("with a body that is not the expected JSON: body is not valid UTF-8");
    }

    @Test
    void anHttpErrorKeepsACleanedShortEngineText() {
        engine.on("/ace/getstream", r -> response(502, "text/plain", "bad\r\ngateway\u0007" + "x".repeat(10_000)));

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOfSatisfying(EngineUnavailableException.class, e -> {
                    assertThat(e.engineError()).get().asString().startsWith("bad  gateway x").endsWith("...")
                            .hasSize(EngineAnswers.MAX_ENGINE_TEXT + 3);
                })
                .hasMessageStartingWith("AceStream engine at " + base + " answered the session start for id=" + HEX
                        + " with HTTP 502: bad  gateway x");
    }

    @Test
    void aRedirectOfTheStatisticsIsAProtocolError() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.on("/ace/stat" + KEY, r -> redirect(base + "/ace/stat2" + KEY));

        assertThatThrownBy(() -> client.stats(session))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessage("AceStream engine at " + base + " answered the statistics request for id=" + HEX
                        + " with a redirect (HTTP 302) where JSON was expected");
        assertThat(engine.requests()).hasSize(2);
    }

    @Test
    void followsARelativeRedirectOnTheEngine() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.on("/ace/r" + KEY, r -> redirect("/ace/r2" + KEY));
        engine.on("/ace/r2" + KEY, r -> response(200, "video/mp2t", new byte[] {0x47, 1, 2}, ""));

        try (InputStream ts = client.openPlayback(session)) {
            assertThat(ts.readAllBytes()).containsExactly(0x47, 1, 2);
        }
        assertThat(engine.requests().get(2)).startsWith("GET /ace/r2/");
    }

    @Test
    void refusesARedirectToAnotherHost() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.on("/ace/r" + KEY, r -> redirect("http://10.1.2.3:6878/ace/r" + KEY));

        assertThatThrownBy(() -> client.openPlayback(session))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessage("AceStream engine at " + base + " redirected the playback of id=" + HEX
                        + " to http://10.1.2.3:6878/ace/r" + KEY + ", which is refused: it leaves the engine's address "
                        + base);
        assertThat(engine.requests()).hasSize(2);
    }

    @Test
    void refusesARedirectToAnotherPortOrOutsideAce() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        URI other = URI.create(base);
        engine.on("/ace/r" + KEY, r -> redirect("http://127.0.0.1:" + (other.getPort() + 1) + "/ace/r" + KEY));
        assertThatThrownBy(() -> client.openPlayback(session))
                .hasMessageEndingWith("which is refused: it leaves the engine's address " + base);

        engine.on("/ace/r" + KEY, r -> redirect("/webui/api/service?method=get_version"));
        assertThatThrownBy(() -> client.openPlayback(session))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("which is refused: its path is not under /ace/");
    }

    @Test
    void refusesEndlessRedirects() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.on("/ace/r" + KEY, r -> redirect(base + "/ace/r" + KEY));

        assertThatThrownBy(() -> client.openPlayback(session))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessage("AceStream engine at " + base + " redirected the playback of id=" + HEX
                        + " more than 5 times");
        assertThat(engine.requests()).hasSize(1 + 6);
    }

    @Test
    void refusesACompressedPlayback() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.on("/ace/r" + KEY, r -> response(200, "video/mp2t", new byte[] {1}, "Content-Encoding: gzip\r\n"));

        assertThatThrownBy(() -> client.openPlayback(session))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("with a compressed body (Content-Encoding gzip) although identity was asked for");
    }

    @Test
    void sendsPlayerHeadersOnThePlayback() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.on("/ace/r" + KEY, r -> response(200, "video/mp2t", new byte[] {0x47}, ""));
        try (InputStream ts = client.openPlayback(session)) {
            assertThat(ts.read()).isEqualTo(0x47);
        }
        String head = engine.heads().get(1).toLowerCase(java.util.Locale.ROOT);
        assertThat(head).startsWith("get /ace/r" + KEY.toLowerCase(java.util.Locale.ROOT) + " http/1.1")
                .contains("\r\naccept-encoding: identity\r\n")
                .contains("\r\nuser-agent: " + AceEngineClient.DEFAULT_USER_AGENT.toLowerCase(java.util.Locale.ROOT) + "\r\n")
                .doesNotContain("upgrade:");
    }

    @Test
    void refusesSessionsWhoseUrlsAreOnAnotherEngine() {
        EngineSession foreign = new EngineSession(CONTENT, URI.create("http://10.9.9.9:6878/ace/r" + KEY),
                URI.create("http://10.9.9.9:6878/ace/stat" + KEY), URI.create("http://10.9.9.9:6878/ace/cmd" + KEY),
                HEX, "", EngineFlag.YES, EngineFlag.NO);

        assertThatThrownBy(() -> client.openPlayback(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the session's playback url is not one this client gave: it leaves the engine's address "
                        + base);
        assertThatThrownBy(() -> client.stop(foreign)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.stats(foreign)).isInstanceOf(IllegalArgumentException.class);
        assertThat(engine.requests()).isEmpty();
    }

    @Test
    void statisticsTolerateExtraAndMissingFields() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.json("/ace/stat" + KEY, """
                {"response": {"status": "buf", "peers": 3, "speed_down": 10.0, "extra": {"a": [1, 2]},
                 "livepos": {"pos": "12", "live_first": "1", "live_last": "20", "buffer_pieces": "15"}},
                 "error": null}""");

        assertThat(client.stats(session)).isEqualTo(new EngineStats("buf", 3, 10, 0, 0, 0));
    }

    @Test
    void minusOneInAnyStatisticsNumberReadsAsUnknown() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.json("/ace/stat" + KEY, """
                {"response": {"status": "prebuf", "peers": -1, "speed_down": -1, "speed_up": -1, "downloaded": -1,
                 "uploaded": -1, "total_progress": -1, "progress": -1}, "error": null}""");

        EngineStats stats = client.stats(session);

        assertThat(stats).isEqualTo(new EngineStats("prebuf", EngineStats.UNKNOWN, EngineStats.UNKNOWN,
                EngineStats.UNKNOWN, EngineStats.UNKNOWN, EngineStats.UNKNOWN));
        assertThat(stats.knownPeers()).isEmpty();
        assertThat(stats.knownSpeedDownKBps()).isEmpty();
        assertThat(stats.knownSpeedUpKBps()).isEmpty();
        assertThat(stats.knownDownloadedBytes()).isEmpty();
        assertThat(stats.knownUploadedBytes()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"peers", "speed_down", "speed_up", "downloaded", "uploaded"})
    void minusOneInOneStatisticsNumberLeavesTheOthersKnown(String field) throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        Map<String, Long> numbers = new LinkedHashMap<>();
        numbers.put("peers", 7L);
        numbers.put("speed_down", 612L);
        numbers.put("speed_up", 40L);
        numbers.put("downloaded", 123456789L);
        numbers.put("uploaded", 5L);
        numbers.put(field, -1L);
        engine.json("/ace/stat" + KEY, numbers.entrySet().stream()
                .map(n -> "\"" + n.getKey() + "\": " + n.getValue())
                .collect(Collectors.joining(", ", "{\"response\": {\"status\": \"dl\", ", "}, \"error\": null}")));

        EngineStats stats = client.stats(session);

        assertThat(stats.knownPeers().isPresent()).isEqualTo(!field.equals("peers"));
        assertThat(stats.knownSpeedDownKBps().isPresent()).isEqualTo(!field.equals("speed_down"));
        assertThat(stats.knownSpeedUpKBps().isPresent()).isEqualTo(!field.equals("speed_up"));
        assertThat(stats.knownDownloadedBytes().isPresent()).isEqualTo(!field.equals("downloaded"));
        assertThat(stats.knownUploadedBytes().isPresent()).isEqualTo(!field.equals("uploaded"));
        assertThat(stats.status()).isEqualTo("dl");
    }

    @Test
    void statisticsRefuseOtherNegativeOrFractionalCounts() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.json("/ace/stat" + KEY, "{\"response\": {\"status\": \"dl\", \"peers\": -2}}");
        assertThatThrownBy(() -> client.stats(session))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("does not understand: response.peers: must not be negative (or -1 for unknown),"
                        + " found -2");

        engine.json("/ace/stat" + KEY, "{\"response\": {\"status\": \"dl\", \"downloaded\": 1.5}}");
        assertThatThrownBy(() -> client.stats(session))
                .hasMessageEndingWith("does not understand: response.downloaded: expected an integer, found 1.5");
    }

    @Test
    void stopAppendsTheMethodAndAcceptsAnyResponse() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.json("/ace/cmd" + KEY, "{\"response\": \"ok\", \"error\": null}");

        client.stop(session);

        assertThat(engine.requests().get(1)).startsWith("GET /ace/cmd" + KEY + "?method=stop ");
    }

    @Test
    void stopReportsOtherEngineErrors() throws Exception {
        EngineSession session = session("/ace/r" + KEY);
        engine.json("/ace/cmd" + KEY, "{\"response\": null, \"error\": \"internal error\"}");

        assertThatThrownBy(() -> client.stop(session))
                .isInstanceOfSatisfying(ContentUnavailableException.class,
                        e -> assertThat(e.engineError()).contains("internal error"))
                .hasMessage("AceStream engine at " + base + " refused the stop command for id=" + HEX
                        + ": internal error");
    }

    @Test
    void probeReadsTheResultEnvelopeAndObjectErrors() throws Exception {
        engine.json("/webui/api/service", "{\"result\": {\"version\": \"3.1.75\"}, \"error\": null}");
        assertThat(client.probe()).isEqualTo(new EngineVersion("3.1.75", 0, ""));
        assertThat(engine.requests().get(0)).startsWith("GET /webui/api/service?method=get_version ");

        engine.json("/webui/api/service", "{\"result\": null, \"error\": {\"message\": \"not ready\", \"code\": 0}}");
        assertThatThrownBy(() -> client.probe())
                .isInstanceOfSatisfying(EngineUnavailableException.class,
                        e -> assertThat(e.engineError()).contains("not ready"))
                .hasMessage("AceStream engine at " + base + " answered the version probe with an error: not ready");

        engine.json("/webui/api/service", "{\"response\": {\"version\": \"3.1.75\"}}");
        assertThatThrownBy(() -> client.probe())
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("does not understand: result: missing");
    }

    @Test
    void engineTextInMessagesIsCleaned() {
        assertThat(EngineAnswers.clean("  a\nb\u0000c  ")).isEqualTo("a b c");
        assertThat(EngineAnswers.errorText("x".repeat(300).getBytes(StandardCharsets.UTF_8)))
                .hasSize(EngineAnswers.MAX_ENGINE_TEXT + 3);
    }
}
