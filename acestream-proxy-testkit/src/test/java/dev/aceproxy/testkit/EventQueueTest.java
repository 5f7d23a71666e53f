package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static dev.aceproxy.testkit.EngineCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.EngineEvent.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's blocking event queue, as MockWebServer's {@code takeRequest}. */
@Timeout(20)
class EventQueueTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

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
    void eventsTellASessionsLifeInOrder() throws Exception {
        String infohash = FakeAceEngine.infohashOf(CONTENT);
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT, "p1");
        String key = session.playback().getPath().substring(session.playback().getPath().lastIndexOf('/') + 1);

        assertNext(Kind.GETSTREAM, infohash, "p1", null);
        assertNext(Kind.SESSION_STARTED, infohash, "p1", key);

        try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
            playback.body().readNBytes(188);
            assertNext(Kind.PLAYBACK_OPENED, infohash, "p1", key);
            assertNext(Kind.PLAYBACK_HEADERS_SENT, infohash, "p1", key);

            get(session.stat());
            assertNext(Kind.STAT, infohash, "p1", key);

            get(session.stop());
            assertNext(Kind.STOP, infohash, "p1", key);
            assertNext(Kind.SESSION_STOPPED, infohash, "p1", key);
            assertNext(Kind.PLAYBACK_CLOSED, infohash, "p1", key);
        }
        assertThat(engine.takeEvent(Duration.ofMillis(100))).isNull();
    }

    @Test
    void eventTimesFollowTheirOrder() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        get(session.stat());

        long getstream = engine.awaitEvent(Kind.GETSTREAM, WAIT).nanoTime();
        long stat = engine.awaitEvent(Kind.STAT, WAIT).nanoTime();

        assertThat(stat).isGreaterThan(getstream);
    }

    @Test
    void takeEventAnswersNullWhenNothingHappens() throws Exception {
        long started = System.nanoTime();

        assertThat(engine.takeEvent(Duration.ofMillis(200))).isNull();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void awaitEventSkipsToTheFirstMatchAndWaitsForItToHappen() throws Exception {
        EngineCalls.start(engine, CONTENT, "early");
        CompletableFuture<EngineEvent> awaited = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.awaitEvent(e -> e.kind() == Kind.GETSTREAM && "late".equals(e.pid()), WAIT);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        EngineCalls.start(engine, CONTENT, "late");

        // the match is an event that happened after the wait began, found by skipping the early ones
        assertThat(awaited.get().pid()).isEqualTo("late");
        assertThat(engine.takeEvent(WAIT).kind()).as("what followed the match stays queued").isEqualTo(Kind.SESSION_STARTED);
    }

    @Test
    void aGetstreamWithoutPidHasTheEmptyPidAndAFaultedOneNoSession() throws Exception {
        engine.getstreamFault(GetstreamFault.engineError("failed to load content"), 1);
        get(engine, "/ace/getstream?format=json&id=" + CONTENT);
        get(engine, "/ace/getstream?format=json&id=" + CONTENT);

        assertThat(engine.takeEvent(WAIT)).extracting(EngineEvent::kind, EngineEvent::pid).containsExactly(Kind.GETSTREAM, "");
        assertThat(engine.takeEvent(WAIT)).extracting(EngineEvent::kind).isEqualTo(Kind.GETSTREAM);
        assertThat(engine.takeEvent(WAIT)).extracting(EngineEvent::kind).isEqualTo(Kind.SESSION_STARTED);
        assertThat(engine.eventsDropped()).isZero();
    }

    /** Takes the next event and checks everything but its time. */
    private void assertNext(Kind kind, String infohash, String pid, String key) throws InterruptedException {
        EngineEvent next = engine.takeEvent(WAIT);
        assertThat(next).as("a %s event", kind).isNotNull();
        assertThat(next).usingRecursiveComparison().ignoringFields("nanoTime")
                .isEqualTo(new EngineEvent(kind, 0, infohash, pid, key));
    }
}
