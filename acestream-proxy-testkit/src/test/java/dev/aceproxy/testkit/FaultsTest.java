package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static dev.aceproxy.testkit.EngineCalls.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(15)
class FaultsTest {

    private static final String GETSTREAM = "/ace/getstream?format=json&id=" + CONTENT;

    private FakeAceEngine engine;

    @BeforeEach
    void start() throws IOException {
        engine = FakeAceEngine.builder().bitrate(800_000).start();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void getstreamEngineErrorAppliesUntilCleared() throws Exception {
        engine.getstreamFault(GetstreamFault.engineError("failed to get manifest"));

        assertThat(get(engine, GETSTREAM).body()).isEqualTo("{\"response\": null, \"error\": \"failed to get manifest\"}");
        assertThat(get(engine, GETSTREAM).body()).isEqualTo("{\"response\": null, \"error\": \"failed to get manifest\"}");
        engine.clearFaults();
        assertThat(get(engine, GETSTREAM).body()).contains("\"playback_url\"");
        assertThat(engine.getstreamCalls()).isEqualTo(3);
    }

    @Test
    void countedGetstreamFaultAppliesToTheNextCallsOnly() throws Exception {
        engine.getstreamFault(GetstreamFault.httpStatus(503), 2);

        assertThat(get(engine, GETSTREAM).statusCode()).isEqualTo(503);
        assertThat(get(engine, GETSTREAM).statusCode()).isEqualTo(503);
        HttpResponse<String> third = get(engine, GETSTREAM);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(third.body()).contains("\"playback_url\"");
    }

    @Test
    void malformedJsonIsCutShort() throws Exception {
        engine.getstreamFault(GetstreamFault.malformedJson());

        HttpResponse<String> response = get(engine, GETSTREAM);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"response\": {").doesNotEndWith("}");
    }

    @Test
    void noAnswerHoldsTheRequestUntilCleared() throws Exception {
        engine.getstreamFault(GetstreamFault.noAnswer());
        HttpRequest request = HttpRequest.newBuilder(engine.baseUri().resolve(GETSTREAM))
                .timeout(Duration.ofMillis(300)).build();

        assertThatThrownBy(() -> EngineCalls.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        engine.clearEvents();
        CompletableFuture<HttpResponse<String>> held = EngineCalls.CLIENT.sendAsync(
                HttpRequest.newBuilder(engine.baseUri().resolve(GETSTREAM)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(engine.awaitEvent(EngineEvent.Kind.GETSTREAM, Duration.ofSeconds(5))).as("held getstream").isNotNull();
        assertThatThrownBy(() -> held.get(100, TimeUnit.MILLISECONDS)).as("an answer to the held getstream")
                .isInstanceOf(TimeoutException.class);
        engine.clearFaults();
        // the held connection closes unanswered; HttpClient may retry the GET, which now succeeds
        assertThat(held.handle((response, failure) -> true).get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(get(engine, GETSTREAM).body()).contains("\"playback_url\"");
    }

    @Test
    void cutResetsEveryStreamingPlayback() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
            playback.body().readNBytes(188 * 10);

            engine.cutPlaybacks();

            assertThatThrownBy(() -> drain(playback.body())).isInstanceOf(SocketException.class);
        }
        PlaybackTest.awaitNoPlaybacks(engine);
        assertThat(engine.openSessions()).isEqualTo(1);
        try (EngineCalls.RawResponse again = EngineCalls.open(session.playback())) {
            assertThat(again.status()).isEqualTo(200);
        }
    }

    @Test
    void stallKeepsTheConnectionOpenAndSilentThenResumes() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
            InputStream body = playback.body();
            body.readNBytes(188 * 10);

            // longer than the test needs, even on a slow machine; ended below by a zero stall
            engine.stallPlaybacks(Duration.ofSeconds(30));
            playback.socket().setSoTimeout(150);
            drainUntilQuiet(body); // what was already in flight
            playback.socket().setSoTimeout(400);

            assertThatThrownBy(body::read).isInstanceOf(SocketTimeoutException.class);
            assertThat(engine.openPlaybackConnections()).isEqualTo(1);
            engine.stallPlaybacks(Duration.ZERO);
            playback.socket().setSoTimeout(5_000);
            assertThat(body.readNBytes(188 * 10)).hasSize(1880);
        }
    }

    @Test
    void endAfterEndsEachPlaybackCleanly() throws Exception {
        engine.endPlaybacksAfter(10_000);
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        for (int i = 0; i < 2; i++) {
            try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
                assertThat(playback.body().readAllBytes()).hasSize(10_000);
            }
        }
        engine.endPlaybacksAfter(-1);
        try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
            assertThat(playback.body().readNBytes(20_000)).hasSize(20_000);
        }
    }

    @Test
    void restartRefusesForgetsSessionsThenListensOnTheSamePort() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        int port = engine.port();
        try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
            playback.body().readNBytes(188);

            engine.restart(Duration.ofSeconds(3));

            assertThat(engine.isListening()).isFalse();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            assertThat(PlaybackTest.drainsToEnd(playback.body())).isTrue();
        }
        assertThat(engine.openSessions()).isZero();
        assertThat(engine.awaitEvent(EngineEvent.Kind.RESTART_UP, Duration.ofSeconds(10))).as("restart over").isNotNull();
        assertThat(engine.isListening()).isTrue();
        assertThat(engine.port()).isEqualTo(port);
        assertThat(get(session.stat()).body()).contains("unknown playback session id");
        assertThat(get(engine, "/webui/api/service?method=get_version").statusCode()).isEqualTo(200);
        assertThat(EngineCalls.start(engine, CONTENT).playback()).isNotEqualTo(session.playback());
    }

    @Test
    void restartWhileDownIsMisuse() {
        engine.restart(Duration.ofSeconds(30));

        assertThatThrownBy(() -> engine.restart(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void hungStopGetsNoAnswerAndKeepsTheSession() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        engine.hangStop(true);

        assertThatThrownBy(() -> EngineCalls.CLIENT.send(
                HttpRequest.newBuilder(session.stop()).timeout(Duration.ofMillis(300)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);
        assertThat(engine.openSessions()).isEqualTo(1);

        engine.hangStop(false);
        assertThat(get(session.stop()).body()).isEqualTo("{\"response\": \"ok\", \"error\": null}");
        assertThat(engine.stopCalls()).isEqualTo(2);
    }

    @Test
    void garbageStatIsNotJson() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        engine.statFault(true);

        HttpResponse<String> garbage = get(session.stat());

        assertThat(garbage.statusCode()).isEqualTo(200);
        assertThat(garbage.body()).doesNotStartWith("{");
        engine.statFault(false);
        assertThat(get(session.stat()).body()).startsWith("{\"response\": {\"status\": ");
    }

    @Test
    void clearFaultsClearsUnavailableContent() throws Exception {
        engine.markUnavailable(CONTENT);
        assertThat(get(engine, GETSTREAM).body()).contains("failed to load content");

        engine.clearFaults();

        assertThat(get(engine, GETSTREAM).body()).contains("\"playback_url\"");
    }

    private static void drainUntilQuiet(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) >= 0) {
                // bytes sent before the stall began
            }
        } catch (SocketTimeoutException quiet) {
            return;
        }
        throw new AssertionError("the stream ended during a stall");
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        while (in.read(buffer) >= 0) {
            // until reset or EOF
        }
    }
}
