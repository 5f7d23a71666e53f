package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.testkit.EngineEvent;
import dev.aceproxy.testkit.Eventually;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LingerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static String key(ContentId c) {
        return "id=" + c.hex();
    }

    @Test
    void aClientComingBackWithinTheLingerDelayJoinsWithoutAnEngineCall() throws Exception {
        try (Harness h = Harness.start(1, b -> b.sessionPolicy(Harness.FAST.withLinger(Duration.ofSeconds(3))))) {
            Subscription first = h.subscribe(content(1), new PacketRecorder());
            first.close();
            assertThat(h.events.await("state " + key(content(1)) + " STREAMING->LINGERING", WAIT)).isTrue();
            assertThat(h.registry.status(content(1)).orElseThrow().state()).isEqualTo(SessionState.LINGERING);

            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(1), sink);
            assertThat(sink.awaitBytes(1, WAIT)).isTrue();
            assertThat(h.events.lines()).contains("state " + key(content(1)) + " LINGERING->STREAMING");
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            assertThat(h.fake().playbackOpens()).isEqualTo(1);
            assertThat(h.fake().stopCalls()).isZero();
            h.assertNothingLeft();
        }
    }

    @Test
    void withNoLingerTheSessionEndsAsItsLastPlayerLeaves() throws Exception {
        try (Harness h = Harness.start(1, b -> b.sessionPolicy(Harness.FAST.withLinger(Duration.ZERO)))) {
            PacketRecorder sink = new PacketRecorder();
            Subscription sub = h.subscribe(content(3), sink);
            assertThat(sink.awaitBytes(1, WAIT)).isTrue();
            sub.close();
            sub.ended().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(h.registry.status().sessions()).as("ended at once, not at the session's next tick")
                    .isEmpty();
            Eventually.within(WAIT, "the stop call", () -> h.fake().stopCalls() == 1);
            h.assertNothingLeft();
        }
    }

    @Test
    void afterTheLingerDelayTheEngineSessionIsStoppedAndThePlaybackClosed() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            h.subscribe(content(2), new PacketRecorder()).close();
            assertThat(h.events.await("state " + key(content(2)) + " LINGERING->STOPPED", WAIT)).isTrue();
            Eventually.within(WAIT, "the stop call", () -> h.fake().stopCalls() == 1);
            Eventually.within(WAIT, "the playback to close", () -> h.fake().openPlaybackConnections() == 0);
            assertThat(h.fake().openSessions()).isZero();
            // The engine slot is given back once the stop call has returned, a moment after the
            // fake engine received it.
            Eventually.within(WAIT, "the teardown to finish", () -> h.registry.status().engines().get(0).sessions() == 0);
            assertThat(h.registry.status(content(2))).isEmpty();
            h.assertNothingLeft();
            assertThat(h.fake().stopCalls()).isEqualTo(1);
        }
    }

    @Test
    void aHangingStopStillClosesThePlayback() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            h.fake().hangStop(true);
            h.subscribe(content(3), new PacketRecorder()).close();
            assertThat(h.events.await("state " + key(content(3)) + " LINGERING->STOPPED", WAIT)).isTrue();
            Eventually.within(WAIT, "the playback to close", () -> h.fake().openPlaybackConnections() == 0);
            Eventually.within(WAIT, "the teardown to finish", () -> h.registry.status().engines().get(0).sessions() == 0);
            assertThat(h.fake().stopCalls()).isEqualTo(1);
            h.fake().clearFaults();
            h.registry.shutdown(Duration.ofSeconds(3));
            assertThat(h.registry.liveThreads()).isZero();
        }
    }

    @Test
    void aSubscriberArrivingDuringTeardownGetsAFreshSession() throws Exception {
        try (Harness h = Harness.start(1, b -> b.sessionPolicy(Harness.FAST.withLinger(Duration.ofMillis(50))))) {
            // the stop call hangs until the client's 300 ms stop timeout: a long teardown
            h.fake().hangStop(true);
            h.subscribe(content(4), new PacketRecorder()).close();
            assertThat(h.events.await("state " + key(content(4)) + " LINGERING->STOPPED", WAIT)).isTrue();
            PacketRecorder sink = new PacketRecorder();
            Subscription again = h.subscribe(content(4), sink);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();
            assertThat(again.ended()).isNotDone();
            assertThat(h.registry.status(content(4)).orElseThrow().state()).isEqualTo(SessionState.STREAMING);
            assertThat(h.fake().getstreamCalls()).isEqualTo(2);
            assertThat(h.fake().secondReaderAttempts()).isZero();
            h.fake().clearFaults();
            again.close();
            // The engine swallowed the first session's stop (the fault) and keeps that session;
            // the fresh session (a new player id, so a session of its own) is stopped for real.
            h.assertNothingLeftButSessions(1);
            assertThat(h.fake().stopCalls()).isEqualTo(2);
            assertThat(h.fake().sessionsStopped()).isEqualTo(1);
        }
    }

    @Test
    void statsArePolledOnlyWhileTheSessionHasClients() throws Exception {
        try (Harness h = Harness.start(1, b -> b.sessionPolicy(Harness.FAST.withLinger(Duration.ofSeconds(5))))) {
            Subscription sub = h.subscribe(content(5), new PacketRecorder());
            Eventually.within(WAIT, "engine stats",
                    () -> h.registry.status(content(5)).orElseThrow().engineStats().isPresent());
            assertThat(h.registry.status(content(5)).orElseThrow().engineStats().orElseThrow().status()).isNotBlank();
            sub.close();
            assertThat(h.events.await("state " + key(content(5)) + " STREAMING->LINGERING", WAIT)).isTrue();
            h.fake().clearEvents();
            // a poll already on its way when the last client left may still reach the engine
            h.fake().awaitEvent(EngineEvent.Kind.STAT, Duration.ofMillis(300));
            // polling every 200 ms would reach the engine three times in the next 600 ms
            assertThat(h.fake().awaitEvent(EngineEvent.Kind.STAT, Duration.ofMillis(600)))
                    .as("a stat poll while lingering").isNull();
            h.assertNothingLeft();
        }
    }

}
