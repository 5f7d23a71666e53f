package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static dev.aceproxy.testkit.EngineCalls.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Prebuffering starts at the getstream call, and the playback answer waits for it, headers included. */
@Timeout(20)
class PrebufferTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void statSaysPrebufWithUnknownNumbersThenDlWithNoReaderAtAll() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().prebufferDelay(Duration.ofMillis(800)).start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            long asked = engine.awaitEvent(EngineEvent.Kind.GETSTREAM, WAIT).nanoTime();

            assertThat(get(session.stat()).body()).contains("\"status\": \"prebuf\"", "\"peers\": -1",
                    "\"speed_down\": -1", "\"speed_up\": -1");
            String stat = awaitStatus(session, "dl");

            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(790));
            assertThat(stat).contains("\"peers\": 7", "\"speed_down\": 0");
            assertThat(engine.playbackOpens()).isZero();
        }
    }

    @Test
    void aReaderThatConnectsEarlyGetsNoStatusLineUntilPrebufferingIsOver() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().prebufferDelay(Duration.ofMillis(1500)).start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            long asked = engine.awaitEvent(EngineEvent.Kind.GETSTREAM, WAIT).nanoTime();
            try (Socket socket = EngineCalls.request(session.playback())) {
                assertThat(engine.awaitEvent(EngineEvent.Kind.PLAYBACK_OPENED, WAIT)).isNotNull();
                InputStream in = socket.getInputStream();
                socket.setSoTimeout(300);

                assertThatThrownBy(in::read).as("not a byte, not even the status line").isInstanceOf(SocketTimeoutException.class);

                EngineEvent headers = engine.awaitEvent(EngineEvent.Kind.PLAYBACK_HEADERS_SENT, WAIT);
                assertThat(headers).isNotNull();
                assertThat(Duration.ofNanos(headers.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(1490));
                socket.setSoTimeout(5_000);
                assertThat(EngineCalls.readHead(in)).startsWith("HTTP/1.1 200 OK\r\n").contains("video/mp2t");
                assertThat(in.readNBytes(188)).hasSize(188);
            }
        }
    }

    @Test
    void prebufferingCountsFromTheGetstreamNotFromTheReader() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().prebufferDelay(Duration.ofMillis(800)).start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            awaitStatus(session, "dl");

            long opened = System.nanoTime();
            try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
                assertThat(playback.status()).isEqualTo(200);
                // counted from the connect, the answer would take the whole 800 ms
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).isLessThan(Duration.ofMillis(600));
            }
        }
    }

    @Test
    void aNewPidOverAPrebufferedDownloadAnswersAtOnce() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().prebufferDelay(Duration.ofMillis(800)).start()) {
            awaitStatus(EngineCalls.start(engine, CONTENT, "a"), "dl");

            EngineCalls.Session b = EngineCalls.start(engine, CONTENT, "b");

            assertThat(get(b.stat()).body()).contains("\"status\": \"dl\"");
        }
    }

    /** Polls the stat url (as a client does) until it says {@code status}; bounded. */
    private static String awaitStatus(EngineCalls.Session session, String status) throws Exception {
        return Eventually.within(WAIT, "stat status " + status, () -> get(session.stat()).body(),
                body -> body.contains("\"status\": \"" + status + "\""));
    }
}
