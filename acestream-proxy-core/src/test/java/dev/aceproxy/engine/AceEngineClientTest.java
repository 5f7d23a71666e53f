package dev.aceproxy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.testkit.GetstreamFault;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine client against the fake engine, over real loopback sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AceEngineClientTest {

    static final String HEX = "0123456789abcdef0123456789abcdef01234567";
    static final ContentId CONTENT = ContentId.id(HEX);
    /** How long a test waits for the client or the engine to let go of a connection or a thread. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private FakeAceEngine fake;
    private AceEngineClient client;

    @BeforeEach
    void start() throws IOException {
        fake = FakeAceEngine.start();
        client = clientFor(fake.baseUri()).build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    static AceEngineClient.Builder clientFor(URI base) {
        return AceEngineClient.newBuilder().baseUri(base);
    }

    private String engine() {
        return "AceStream engine at " + fake.baseUri();
    }

    @Test
    void startsASessionWithUrlsOnTheEngine() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());

        String infohash = FakeAceEngine.infohashOf(HEX);
        assertThat(session.content()).isEqualTo(CONTENT);
        assertThat(session.infohash()).isEqualTo(infohash);
        assertThat(session.playbackUri().toString()).startsWith(fake.baseUri() + "/ace/r/" + infohash + "/");
        assertThat(session.statUri().toString()).startsWith(fake.baseUri() + "/ace/stat/" + infohash + "/");
        assertThat(session.commandUri().toString()).startsWith(fake.baseUri() + "/ace/cmd/" + infohash + "/");
        assertThat(session.playbackSessionId()).isNotEmpty();
        assertThat(session.live()).isEqualTo(EngineFlag.YES);
        assertThat(session.encrypted()).isEqualTo(EngineFlag.NO);
        assertThat(fake.getstreamCalls()).isEqualTo(1);
        assertThat(fake.openSessions()).isEqualTo(1);
    }

    @Test
    void startsASessionByInfohash() throws Exception {
        EngineSession session = client.startSession(ContentId.infohash(HEX), Map.of("transcode_audio", "0"));

        assertThat(session.infohash()).isEqualTo(HEX);
        assertThat(session.playbackUri().getPath()).startsWith("/ace/r/" + HEX + "/");
    }

    @Test
    void eachStartIsANewEngineSessionThatMustBeStopped() throws Exception {
        // A fresh pid per call: the engine gives new urls over the content's one download, and
        // stopping either session cuts both readers. The caller owns each session it starts.
        EngineSession first = client.startSession(CONTENT, Map.of());
        EngineSession second = client.startSession(CONTENT, Map.of());

        assertThat(second.playbackUri()).isNotEqualTo(first.playbackUri());
        assertThat(second.playbackSessionId()).isNotEqualTo(first.playbackSessionId());
        assertThat(fake.openSessions()).isEqualTo(2);
        client.stop(first);
        client.stop(second);
        assertThat(fake.sessionsOutstanding()).isZero();
        assertThat(fake.getstreamCalls()).isEqualTo(fake.stopCalls());
    }

    @Test
    void opensThePlaybackAndReadsMpegTs() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());

        try (InputStream ts = client.openPlayback(session)) {
            byte[] packets = ts.readNBytes(188 * 10);
            assertThat(packets).hasSize(188 * 10);
            for (int i = 0; i < 10; i++) {
                assertThat(packets[i * 188]).as("sync byte of packet %d", i).isEqualTo((byte) 0x47);
            }
            assertThat(fake.openPlaybackConnections()).isEqualTo(1);
        }
        client.stop(session);

        Eventually.within(WAIT, "playback connections back to 0", () -> fake.openPlaybackConnections() == 0);
        assertThat(fake.openSessions()).isZero();
        assertThat(fake.playbackOpens()).isEqualTo(1);
        assertThat(fake.secondReaderAttempts()).isZero();
    }

    @Test
    void closingThePlaybackReleasesTheConnectionAndTheReaderSlot() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());
        for (int i = 0; i < 3; i++) {
            try (InputStream ts = client.openPlayback(session)) {
                assertThat(ts.readNBytes(188)).hasSize(188);
            }
            Eventually.within(WAIT, "playback connection closed", () -> fake.openPlaybackConnections() == 0);
        }
        assertThat(fake.playbackOpens()).isEqualTo(3);
        assertThat(fake.secondReaderAttempts()).isZero();
    }

    @Test
    void followsARedirectOnTheEngine() throws Exception {
        fake.close();
        fake = FakeAceEngine.builder().playbackRedirect(true).start();
        client.close();
        client = clientFor(fake.baseUri()).build();
        EngineSession session = client.startSession(CONTENT, Map.of());

        try (InputStream ts = client.openPlayback(session)) {
            assertThat(ts.read()).isEqualTo(0x47);
        }
        Eventually.within(WAIT, "playback connection closed", () -> fake.openPlaybackConnections() == 0);
    }

    @Test
    void rewritesUrlsTheEngineAdvertisesOnAnotherHost() throws Exception {
        fake.close();
        fake = FakeAceEngine.builder().advertisedBaseUri(URI.create("http://172.17.0.2:6878")).start();
        client.close();
        client = clientFor(fake.baseUri()).build();

        EngineSession session = client.startSession(CONTENT, Map.of());

        assertThat(session.playbackUri().getHost()).isEqualTo("127.0.0.1");
        assertThat(session.playbackUri().getPort()).isEqualTo(fake.port());
        assertThat(session.statUri().getAuthority()).isEqualTo("127.0.0.1:" + fake.port());
        assertThat(session.commandUri().getAuthority()).isEqualTo("127.0.0.1:" + fake.port());
        try (InputStream ts = client.openPlayback(session)) {
            assertThat(ts.read()).isEqualTo(0x47);
        }
        assertThat(client.stats(session).status()).isNotBlank();
        client.stop(session);
        assertThat(fake.openSessions()).isZero();
    }

    @Test
    void readsStatistics() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());

        EngineStats stats = client.stats(session);

        assertThat(stats.status()).isIn("prebuf", "dl");
        assertThat(stats.peers()).isEqualTo(7);
        assertThat(stats.speedUpKBps()).isZero();
        assertThat(stats.uploadedBytes()).isZero();
        assertThat(fake.statCalls()).isEqualTo(1);
    }

    @Test
    void statisticsOfAStoppedSessionNameTheEngineError() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());
        client.stop(session);

        assertThatThrownBy(() -> client.stats(session))
                .isInstanceOfSatisfying(ContentUnavailableException.class,
                        e -> assertThat(e.engineError()).contains("unknown playback session id"))
                .hasMessage(engine() + " refused the statistics request for id=" + HEX
                        + ": unknown playback session id");
    }

    @Test
    void statisticsThatAreNotJsonAreAProtocolError() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());
        fake.statFault(true);

        assertThatThrownBy(() -> client.stats(session))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessage(engine() + " answered the statistics request for id=" + HEX
                        + " with a body that is not the expected JSON: malformed JSON at line 1, column 1:"
                        + " expected a value, found '<'");
    }

    @Test
    void stopEndsTheSessionAndItsReader() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());
        try (InputStream ts = client.openPlayback(session)) {
            assertThat(ts.read()).isEqualTo(0x47);

            client.stop(session);

            assertThat(fake.stopCalls()).isEqualTo(1);
            assertThat(fake.openSessions()).isZero();
            // the engine ends the reader: the stream ends or fails, it does not go on forever
            assertThatStreamEnds(ts);
        }
        Eventually.within(WAIT, "playback connection closed", () -> fake.openPlaybackConnections() == 0);
    }

    @Test
    void stoppingAnUnknownSessionIsNotAnError() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());
        client.stop(session);

        client.stop(session);

        assertThat(fake.stopCalls()).isEqualTo(2);
    }

    @Test
    void aHangingStopTimesOutWithTheShortStopTimeout() throws Exception {
        client.close();
        client = clientFor(fake.baseUri()).stopTimeout(Duration.ofMillis(300)).build();
        EngineSession session = client.startSession(CONTENT, Map.of());
        fake.hangStop(true);

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.stop(session))
                .isInstanceOf(EngineTimeoutException.class)
                .hasMessage(engine() + " did not answer the stop command for id=" + HEX
                        + " within 300 ms; is the engine overloaded or hung?");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        fake.hangStop(false);
        client.stop(session);
        assertThat(fake.openSessions()).isZero();
    }

    @Test
    void probesTheEngineVersion() throws Exception {
        EngineVersion version = client.probe();

        assertThat(version).isEqualTo(new EngineVersion("3.1.70", 3017000, "linux"));
        assertThat(fake.versionCalls()).isEqualTo(1);
    }

    @Test
    void probeReportsAnotherVersion() throws Exception {
        fake.close();
        fake = FakeAceEngine.builder().version("3.2.3").start();
        client.close();
        client = clientFor(fake.baseUri()).build();

        assertThat(client.probe().version()).isEqualTo("3.2.3");
        assertThat(client.probe().code()).isEqualTo(3020300);
    }

    @Test
    void unavailableContentCarriesTheEngineText() {
        fake.markUnavailable(HEX);

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOfSatisfying(ContentUnavailableException.class,
                        e -> assertThat(e.engineError()).contains("failed to load content"))
                .hasMessage(engine() + " cannot play id=" + HEX + ": failed to load content");
    }

    @Test
    void anyEngineErrorOnGetstreamIsContentUnavailable() {
        fake.getstreamFault(GetstreamFault.engineError("invalid content id"), 1);

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(ContentUnavailableException.class)
                .hasMessage(engine() + " cannot play id=" + HEX + ": invalid content id");
    }

    @Test
    void anHttpErrorIsEngineUnavailableWithTheBody() {
        fake.getstreamFault(GetstreamFault.httpStatus(503), 1);

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOfSatisfying(EngineUnavailableException.class,
                        e -> assertThat(e.engineError()).contains("engine fault"))
                .hasMessage(engine() + " answered the session start for id=" + HEX + " with HTTP 503: engine fault");
    }

    @Test
    void malformedJsonIsAProtocolError() {
        fake.getstreamFault(GetstreamFault.malformedJson(), 1);

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageStartingWith(engine() + " answered the session start for id=" + HEX
                        + " with a body that is not the expected JSON: malformed JSON at line 1, column ")
                .hasMessageEndingWith(": expected '\"' to close the string that starts at line 1, column 31,"
                        + " found end of input");
    }

    @Test
    void aGetstreamWithoutAnswerTimesOut() {
        client.close();
        client = clientFor(fake.baseUri()).getstreamTimeout(Duration.ofMillis(300)).build();
        fake.getstreamFault(GetstreamFault.noAnswer());

        assertThatThrownBy(() -> client.startSession(CONTENT, Map.of()))
                .isInstanceOf(EngineTimeoutException.class)
                .hasMessage(engine() + " did not answer the session start for id=" + HEX
                        + " within 300 ms; is the engine overloaded or hung?");
    }

    @Test
    void anInterruptAbortsAWaitingCall() throws Exception {
        fake.getstreamFault(GetstreamFault.noAnswer());
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().name("aceproxy-test-caller").start(() -> {
            try {
                client.startSession(CONTENT, Map.of());
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Eventually.within(WAIT, "getstream reached the engine", () -> fake.getstreamCalls() == 1);

        caller.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void aRefusedConnectionIsEngineUnavailable() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (AceEngineClient down = clientFor(closed).build()) {
            assertThatThrownBy(down::probe)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessage("AceStream engine at " + closed
                            + " refused the connection for the version probe; is the engine running and listening there?");
        }
    }

    @Test
    void aPlaybackStartTimeoutIsAnEngineTimeoutWithTheEngineText() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());
        fake.failPlaybackStarts(1);

        assertThatThrownBy(() -> client.openPlayback(session))
                .isInstanceOfSatisfying(EngineTimeoutException.class,
                        e -> assertThat(e.engineError()).contains("start timeout"))
                .hasMessage(engine() + " gave up starting the playback of id=" + HEX
                        + " (HTTP 500 start timeout): the content is still prebuffering or has no peers; try again shortly");
        try (InputStream ts = client.openPlayback(session)) {
            assertThat(ts.read()).isEqualTo(0x47);
        }
    }

    @Test
    void playbackOfAStoppedSessionIsAnHttpError() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());
        client.stop(session);

        assertThatThrownBy(() -> client.openPlayback(session))
                .isInstanceOfSatisfying(EngineUnavailableException.class,
                        e -> assertThat(e.engineError()).contains("unknown playback session id"))
                .hasMessage(engine() + " answered the playback of id=" + HEX
                        + " with HTTP 404: unknown playback session id");
    }

    @Test
    void playbackHeadersThatComeTooLateTimeOut() throws Exception {
        fake.close();
        fake = FakeAceEngine.builder().prebufferDelay(Duration.ofSeconds(3)).start();
        client.close();
        client = clientFor(fake.baseUri()).playbackHeadersTimeout(Duration.ofMillis(300)).build();
        EngineSession session = client.startSession(CONTENT, Map.of());

        assertThatThrownBy(() -> client.openPlayback(session))
                .isInstanceOf(EngineTimeoutException.class)
                .hasMessage(engine() + " did not answer the playback of id=" + HEX
                        + " within 300 ms; is the engine overloaded or hung?");
        Eventually.within(WAIT, "abandoned playback closed", () -> fake.openPlaybackConnections() == 0);
    }

    @Test
    void theHeadersTimeoutDoesNotLimitTheBody() throws Exception {
        client.close();
        client = clientFor(fake.baseUri()).playbackHeadersTimeout(Duration.ofMillis(200)).build();
        EngineSession session = client.startSession(CONTENT, Map.of());

        try (InputStream ts = client.openPlayback(session)) {
            long until = System.nanoTime() + Duration.ofMillis(800).toNanos();
            long read = 0;
            byte[] buffer = new byte[8192];
            while (System.nanoTime() < until) {
                int n = ts.read(buffer);
                assertThat(n).as("stream still open after %d bytes", read).isPositive();
                read += n;
            }
            assertThat(read).isPositive();
        }
    }

    @Test
    void closingThePlaybackFromAnotherThreadEndsABlockedRead() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());
        InputStream ts = client.openPlayback(session);
        assertThat(ts.read()).isEqualTo(0x47);
        fake.stallPlaybacks(Duration.ofSeconds(30));
        AtomicReference<Thread> readerThread = new AtomicReference<>();
        CompletableFuture<Object> reader = CompletableFuture.supplyAsync(() -> {
            byte[] buffer = new byte[65536];
            try {
                while (true) {
                    if (ts.read(buffer) < 0) {
                        return "eof";
                    }
                }
            } catch (IOException e) {
                return e;
            }
        }, r -> readerThread.set(Thread.ofVirtual().name("aceproxy-test-reader").start(r)));
        awaitBlocked(readerThread.get());
        assertThat(reader).isNotDone();

        ts.close();

        assertThat(reader.get(5, TimeUnit.SECONDS)).as("the blocked read, its connection closed under it")
                .isInstanceOf(IOException.class);
        // the fake only notices a closed reader when it writes again
        fake.stallPlaybacks(Duration.ZERO);
        Eventually.within(WAIT, "playback connection closed", () -> fake.openPlaybackConnections() == 0);
    }

    @Test
    void refusesParametersOffTheAllowList() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> client.startSession(CONTENT, Map.of("stop_prev_read_thread", "1")))
                .withMessage("getstream parameter \"stop_prev_read_thread\" is not on the allow-list"
                        + " [preferred_audio_language, transcode_ac3, transcode_audio, transcode_mp3]");
        for (String forbidden : AceEngineClient.FORBIDDEN_PARAMETERS) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> client.startSession(CONTENT, Map.of(forbidden, "x")))
                    .withMessageStartingWith("getstream parameter \"" + forbidden + "\" is never passed to the engine");
        }
        assertThatIllegalArgumentException()
                .isThrownBy(() -> client.startSession(CONTENT, Map.of("URL", "http://evil/")))
                .withMessageStartingWith("getstream parameter \"URL\" is never passed to the engine");
        assertThat(fake.getstreamCalls()).isZero();
    }

    @Test
    void passesAllowedParametersThrough() throws Exception {
        client.close();
        client = clientFor(fake.baseUri()).allowedParameters(java.util.Set.of("stop_prev_read_thread")).build();

        client.startSession(CONTENT, Map.of("stop_prev_read_thread", "1"));

        assertThat(client.allowedParameters()).containsExactly("stop_prev_read_thread");
        assertThat(fake.getstreamCalls()).isEqualTo(1);
    }

    @Test
    void anOwnHttpClientsThreadsEndOnClose() throws Exception {
        java.util.Set<String> before = selectorThreads();
        AceEngineClient own = clientFor(fake.baseUri()).build();
        own.probe();
        java.util.Set<String> mine = selectorThreads();
        mine.removeAll(before);
        assertThat(mine).hasSize(1);

        own.close();

        Eventually.within(WAIT, "selector thread ended",
                () -> java.util.Collections.disjoint(selectorThreads(), mine));
        assertThatThrownBy(own::probe).isInstanceOf(IllegalStateException.class)
                .hasMessage("engine client for " + fake.baseUri() + " is closed");
    }

    @Test
    void closingTheClientEndsItsOpenPlaybacks() throws Exception {
        EngineSession session = client.startSession(CONTENT, Map.of());
        InputStream ts = client.openPlayback(session);
        assertThat(ts.read()).isEqualTo(0x47);

        client.close();

        assertThatStreamEnds(ts);
        ts.close();
        Eventually.within(WAIT, "playback connection closed", () -> fake.openPlaybackConnections() == 0);
    }

    private static java.util.Set<String> selectorThreads() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager") && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }

    /** Reads until the stream ends or fails; the test's timeout catches a stream that goes on. */
    private static void assertThatStreamEnds(InputStream ts) {
        byte[] buffer = new byte[65536];
        try {
            while (ts.read(buffer) >= 0) {
                // drain what the engine sent before it stopped
            }
        } catch (IOException endedAbruptly) {
            // a reset is an end too
        }
    }

    /**
     * Waits until a reader thread is parked in its read (the engine is stalled, so nothing ends it),
     * so that what the test does next happens to a blocked read.
     */
    static void awaitBlocked(Thread reader) throws InterruptedException {
        Eventually.within(WAIT, "reader blocked in its read", () -> reader.getState() == Thread.State.WAITING);
    }
}
