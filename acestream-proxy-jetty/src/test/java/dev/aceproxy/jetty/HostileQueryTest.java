package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.registry.EnginePoolPolicy;
import dev.aceproxy.registry.SessionPolicy;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every query parameter of every endpoint, given every kind of bad value: each answer is a 400
 * with a JSON error body, and the engine is never called.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HostileQueryTest {

    /** Each endpoint, a valid base query (may be empty), and the parameters it understands. */
    private static final Map<String, List<String>> ENDPOINTS = Map.of(
            "/ace/getstream", List.of("id", "infohash", "pid", "transcode_audio", "transcode_mp3", "transcode_ac3",
                    "preferred_audio_language", "token"),
            "/ace/status", List.of("id", "infohash", "token"),
            "/api/v1/streams", List.of("token"),
            "/metrics", List.of("token"),
            "/healthz", List.of("token"));

    /** Bad values, whatever the parameter; each is raw query text after {@code name=}. */
    private static final List<String> BAD_VALUES = List.of(
            "",                               // empty
            "%zz", "%", "%4", "abc%g0",       // broken escapes
            "%ff%fe", "%C3%28", "%C0%AF", "%ED%A0%80", "%F8%88%80%80%80", // not UTF-8 (bad byte, overlong, surrogate, 5-byte)
            "a".repeat(300),                  // above the value bound
            "%00", "a%0d%0aX-Injected:%201", "%7F"); // control characters

    /**
     * Printable junk: refused by every parameter with a syntax. A {@code token} is opaque text,
     * so these are simply a wrong token there (401 with a token configured, see the token tests).
     */
    private static final List<String> PRINTABLE_JUNK = List.of(
            "%3Cscript%3E", "..%2F..%2Fetc%2Fpasswd", "http%3A%2F%2F10.0.0.1%2Fx", "a%20b", "%E2%80%AE");

    private static FakeAceEngine engine;
    private static AceEngineClient client;
    private static StreamRegistry registry;
    private static AceProxyHttpServer server;
    private static int versionCallsAtStart;

    @BeforeAll
    static void start() throws Exception {
        engine = FakeAceEngine.start();
        client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
        registry = StreamRegistry.newBuilder().engine(client)
                .sessionPolicy(SessionPolicy.DEFAULT.withLinger(Duration.ZERO))
                .enginePoolPolicy(new EnginePoolPolicy(Duration.ofHours(1), 3))
                .build();
        server = AceProxyHttpServer.newBuilder().registry(registry).port(0).build();
        server.start();
        // The registry probes its engine once at start; wait for it so that it is not counted.
        versionCallsAtStart = Eventually.within(Duration.ofSeconds(10), "the registry's start-up probe",
                engine::versionCalls, calls -> calls > 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
        client.close();
        engine.close();
    }

    static Stream<Arguments> badQueries() {
        List<Arguments> cases = new ArrayList<>();
        for (Map.Entry<String, List<String>> endpoint : ENDPOINTS.entrySet()) {
            String path = endpoint.getKey();
            // A valid selector beside the bad parameter, so that the bad one is what is refused.
            String base = path.equals("/ace/getstream") ? "id=" + ID + "&" : "";
            for (String name : endpoint.getValue()) {
                String validBase = name.equals("id") || name.equals("infohash") ? "" : base;
                for (String value : BAD_VALUES) {
                    cases.add(Arguments.of(path + "?" + validBase + name + "=" + value));
                }
                if (!name.equals("token")) {
                    for (String value : PRINTABLE_JUNK) {
                        cases.add(Arguments.of(path + "?" + validBase + name + "=" + value));
                    }
                }
                cases.add(Arguments.of(path + "?" + validBase + name));                     // no '=' at all
                cases.add(Arguments.of(path + "?" + validBase + name + "=1&" + name + "=1")); // repeated
            }
            // Wrong types for the content selectors.
            if (endpoint.getValue().contains("id")) {
                for (String selector : List.of("id", "infohash")) {
                    for (String wrong : List.of("12345", "g".repeat(40), ID + "0", ID.substring(1), "-1", "true",
                            "%20" + ID.substring(1), ID.toUpperCase().replace('A', 'Z'))) {
                        cases.add(Arguments.of(path + "?" + selector + "=" + wrong));
                    }
                }
                cases.add(Arguments.of(path + "?id=" + ID + "&infohash=" + ID));
            }
            // Names that are junk or not understood, and queries that are too big as a whole.
            cases.add(Arguments.of(path + "?" + base + "%zz=1"));
            cases.add(Arguments.of(path + "?" + base + "%ff=1"));
            cases.add(Arguments.of(path + "?" + base + "=1"));
            cases.add(Arguments.of(path + "?" + base + "n".repeat(100) + "=1"));
            cases.add(Arguments.of(path + "?" + base + "url=http%3A%2F%2Fevil"));
            cases.add(Arguments.of(path + "?" + base + "a=1&".repeat(40)));
            cases.add(Arguments.of(path + "?" + base + "x=" + "%41".repeat(1500)));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("badQueries")
    void everyBadParameterIsAJson400WithoutAnEngineCall(String target) throws Exception {
        RawHttp.Answer answer = RawHttp.get(server.port(), target);
        assertThat(answer.status()).as(target).isEqualTo(400);
        assertThat(answer.header("Content-Type")).as(target).startsWith("application/json");
        assertThat(answer.body()).as(target).startsWith("{\"error\":\"").contains("\"message\":\"");
        assertEngineUntouched();
    }

    @Test
    void rawNonUtf8BytesInTheQueryAreA400() throws Exception {
        byte[] request = ("GET /ace/getstream?id=" + ID + "&preferred_audio_language=\u00ff\u00fe HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        RawHttp.Answer answer = RawHttp.exchange(server.port(), request);
        assertThat(answer.status()).isEqualTo(400);
        assertEngineUntouched();
    }

    private static void assertEngineUntouched() {
        assertThat(engine.getstreamCalls()).as("getstream calls").isZero();
        assertThat(engine.playbackOpens()).as("playback opens").isZero();
        assertThat(engine.stopCalls()).as("stop calls").isZero();
        assertThat(engine.statCalls()).as("stat calls").isZero();
        assertThat(engine.versionCalls()).as("version calls").isEqualTo(versionCallsAtStart);
    }
}
