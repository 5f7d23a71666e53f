package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static dev.aceproxy.testkit.EngineCalls.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Restarts forget every session; meanwhile the engine refuses connections or answers 503. An exit
 * refuses connections for good and ends the open playbacks after their tail.
 */
@Timeout(20)
class RestartTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

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
    void answer503ModeAnswersEveryRequest503ThenServesAgain() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT, "a");
        EngineCalls.start(engine, CONTENT, "b");
        try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
            playback.body().readNBytes(188);
            engine.clearEvents();

            engine.restart(Duration.ofSeconds(30), RestartMode.ANSWER_503);

            assertThat(engine.isListening()).isTrue();
            assertThat(engine.isRestarting()).isTrue();
            assertThat(PlaybackTest.drainsToEnd(playback.body())).isTrue();
        }
        HttpResponse<String> getstream = get(engine, "/ace/getstream?format=json&id=" + CONTENT);
        assertThat(getstream.statusCode()).isEqualTo(503);
        assertThat(getstream.headers().firstValue("content-length")).isEmpty();
        assertThat(get(engine, "/webui/api/service?method=get_version").statusCode()).isEqualTo(503);
        assertThat(get(session.stat()).statusCode()).isEqualTo(503);
        assertThat(engine.sessionsForgotten()).isEqualTo(2);
        assertThat(engine.openSessions()).isZero();
        assertThat(engine.getstreamCalls()).as("a 503 is answered before any endpoint").isEqualTo(2);
        assertThat(engine.awaitEvent(EngineEvent.Kind.RESTART_DOWN, WAIT)).isNotNull();
        assertThatThrownBy(() -> engine.restart(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void answer503ModeEndsAfterItsDuration() throws Exception {
        engine.restart(Duration.ofMillis(300), RestartMode.ANSWER_503);

        assertThat(engine.awaitEvent(EngineEvent.Kind.RESTART_UP, WAIT)).isNotNull();

        assertThat(engine.isRestarting()).isFalse();
        assertThat(get(engine, "/ace/getstream?format=json&id=" + CONTENT).body()).contains("\"playback_url\"");
    }

    @Test
    void refusingRestartTellsItsStartAndEndAndForgetsEverySession() throws Exception {
        EngineCalls.Session before = EngineCalls.start(engine, CONTENT);
        engine.clearEvents();

        engine.restart(Duration.ofMillis(300));

        assertThat(engine.takeEvent(WAIT)).extracting(EngineEvent::kind).isEqualTo(EngineEvent.Kind.SESSION_FORGOTTEN);
        assertThat(engine.takeEvent(WAIT)).extracting(EngineEvent::kind).isEqualTo(EngineEvent.Kind.RESTART_DOWN);
        assertThat(engine.isListening()).isFalse();
        assertThat(engine.takeEvent(WAIT)).extracting(EngineEvent::kind).isEqualTo(EngineEvent.Kind.RESTART_UP);
        assertThat(engine.isListening()).isTrue();
        assertThat(get(before.stat()).body()).contains("unknown playback session id");
        assertThat(EngineCalls.start(engine, CONTENT).playback()).isNotEqualTo(before.playback());
    }

    @Test
    void anExitRefusesConnectionsAtOnceAndEndsTheOpenPlaybacksAfterTheirTail() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
            InputStream body = playback.body();
            body.readNBytes(188);
            engine.clearEvents();

            long exited = System.nanoTime();
            engine.exit(Duration.ofMillis(1500));

            assertThat(engine.isListening()).isFalse();
            assertThat(engine.isRestarting()).isFalse();
            assertThatThrownBy(() -> get(engine, "/webui/api/service?method=get_version"))
                    .hasCauseInstanceOf(ConnectException.class);
            assertThat(engine.awaitEvent(EngineEvent.Kind.EXITED, WAIT)).isNotNull();
            assertThat(body.readNBytes(188 * 20)).as("the open playback goes on during the tail").hasSize(188 * 20);
            assertThat(engine.sessionsForgotten()).isZero();

            assertThat(PlaybackTest.drainsToEnd(body)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - exited)).as("ended after the tail")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
        assertThat(engine.awaitEvent(EngineEvent.Kind.SESSION_FORGOTTEN, WAIT)).isNotNull();
        assertThat(engine.sessionsForgotten()).isEqualTo(1);
        assertThat(engine.openSessions()).isZero();
        PlaybackTest.awaitNoPlaybacks(engine);
        assertThatThrownBy(() -> engine.restart(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> engine.exit(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThat(engine.isListening()).isFalse();
    }
}
