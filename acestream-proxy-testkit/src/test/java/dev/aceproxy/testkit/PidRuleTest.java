package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static dev.aceproxy.testkit.EngineCalls.OTHER_CONTENT;
import static dev.aceproxy.testkit.EngineCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sessions are per (content, pid) over the content's one download (engine-api.md §1). */
@Timeout(20)
class PidRuleTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Pattern SESSION_ID = Pattern.compile("\"playback_session_id\": \"([0-9a-f]{40})\"");

    private FakeAceEngine engine;

    @BeforeEach
    void start() throws IOException {
        engine = FakeAceEngine.builder().bitrate(4_000_000).start();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void theSamePidGetsTheSameSessionAndANewPidANewOneOfTheSameContent() throws Exception {
        String a = getstream(CONTENT, "&pid=a");
        String aAgain = getstream(CONTENT.toUpperCase(), "&pid=a");
        String b = getstream(CONTENT, "&pid=b");

        assertThat(aAgain).isEqualTo(a);
        assertThat(EngineCalls.sessionOf(b).playback()).isNotEqualTo(EngineCalls.sessionOf(a).playback());
        assertThat(sessionId(b)).isNotEqualTo(sessionId(a));
        assertThat(b).contains("\"infohash\": \"" + FakeAceEngine.infohashOf(CONTENT) + "\"");
        assertThat(engine.openSessions()).isEqualTo(2);
        assertThat(engine.sessionsStarted()).isEqualTo(2);
        assertThat(engine.getstreamCalls()).isEqualTo(3);
    }

    @Test
    void aGetstreamWithoutPidIsOneFixedPid() throws Exception {
        String first = getstream(CONTENT, "");
        String second = getstream(CONTENT, "");
        String withPid = getstream(CONTENT, "&pid=x");

        assertThat(second).isEqualTo(first);
        assertThat(withPid).isNotEqualTo(first);
        assertThat(engine.openSessions()).isEqualTo(2);
    }

    @Test
    void aStopOfOneSessionCutsTheReadersOfEverySessionOfTheContent() throws Exception {
        EngineCalls.Session a = EngineCalls.start(engine, CONTENT, "a");
        EngineCalls.Session b = EngineCalls.start(engine, CONTENT, "b");
        EngineCalls.Session other = EngineCalls.start(engine, OTHER_CONTENT, "a");
        try (EngineCalls.RawResponse readerA = EngineCalls.open(a.playback());
                EngineCalls.RawResponse readerB = EngineCalls.open(b.playback());
                EngineCalls.RawResponse readerOther = EngineCalls.open(other.playback())) {
            assertThat(readerA.body().readNBytes(188 * 10)).hasSize(1880);
            assertThat(readerB.body().readNBytes(188 * 10)).hasSize(1880);
            assertThat(engine.secondReaderAttempts()).as("one reader per session, not per content").isZero();

            assertThat(get(a.stop()).body()).isEqualTo("{\"response\": \"ok\", \"error\": null}");

            assertThat(PlaybackTest.drainsToEnd(readerA.body())).isTrue();
            assertThat(PlaybackTest.drainsToEnd(readerB.body())).isTrue();
            assertThat(readerOther.body().readNBytes(188 * 1000)).as("another content streams on").hasSize(188 * 1000);
        }
        assertThat(get(a.stat()).body()).contains("unknown playback session id");
        assertThat(get(b.stat()).body()).contains("\"status\": \"dl\"");
        assertThat(engine.openSessions()).isEqualTo(2);
        assertThat(engine.sessionsStopped()).isEqualTo(1);
        try (EngineCalls.RawResponse again = EngineCalls.open(b.playback())) {
            assertThat(again.status()).as("the cut session is still known").isEqualTo(200);
        }
    }

    @Test
    void aNewPidJoinsTheContentsLivePosition() throws Exception {
        try (FakeAceEngine fast = FakeAceEngine.builder().bitrate(40_000_000).start()) {
            EngineCalls.Session a = EngineCalls.start(fast, CONTENT, "a");
            try (EngineCalls.RawResponse readerA = EngineCalls.open(a.playback())) {
                List<Long> pcrsA = TsCheck.pcrs(readerA.body().readNBytes(2 * FakeAceEngine.bundledClip().length));

                EngineCalls.Session b = EngineCalls.start(fast, CONTENT, "b");
                try (EngineCalls.RawResponse readerB = EngineCalls.open(b.playback())) {
                    List<Long> pcrsB = TsCheck.pcrs(readerB.body().readNBytes(188 * 2000));

                    // a separate download would start b at the first pass again, behind a
                    assertThat(pcrsB.getFirst()).isGreaterThan(pcrsA.getLast());
                }
            }
        }
    }

    @Test
    void aClientThatStopsEverySessionItAskedForLeavesNoneOutstanding() throws Exception {
        List<EngineCalls.Session> sessions = List.of(
                EngineCalls.start(engine, CONTENT, "p1"),
                EngineCalls.start(engine, CONTENT, "p2"),
                EngineCalls.start(engine, OTHER_CONTENT, "p3"));
        assertThat(engine.sessionsOutstanding()).isEqualTo(3);

        for (EngineCalls.Session session : sessions) {
            get(session.stop());
        }

        assertThat(engine.getstreamCalls()).isEqualTo(engine.stopCalls() + engine.sessionsForgotten());
        assertThat(engine.sessionsOutstanding()).isZero();
        assertThat(engine.openSessions()).isZero();
    }

    @Test
    void aSessionNeverStoppedStaysOutstandingUntilTheEngineForgetsIt() throws Exception {
        EngineCalls.start(engine, CONTENT, "p1");
        get(EngineCalls.start(engine, CONTENT, "p2").stop());

        assertThat(engine.sessionsOutstanding()).isEqualTo(1);
        assertThat(engine.getstreamCalls()).isNotEqualTo(engine.stopCalls() + engine.sessionsForgotten());

        engine.restart(Duration.ZERO);
        assertThat(engine.awaitEvent(EngineEvent.Kind.RESTART_UP, WAIT)).isNotNull();

        assertThat(engine.sessionsForgotten()).isEqualTo(1);
        assertThat(engine.sessionsOutstanding()).isZero();
        assertThat(engine.getstreamCalls()).isEqualTo(engine.stopCalls() + engine.sessionsForgotten());
    }

    private String getstream(String content, String pidParameter) throws Exception {
        return get(engine, "/ace/getstream?format=json&id=" + content + pidParameter).body();
    }

    private static String sessionId(String body) {
        Matcher m = SESSION_ID.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }
}
