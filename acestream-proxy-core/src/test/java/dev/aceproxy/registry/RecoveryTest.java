package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.GetstreamFault;
import dev.aceproxy.ts.TsPackets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every rung of the recovery ladder, with the client connected throughout. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RecoveryTest {

    private static final int PAT = 0;
    private static final int PMT = 4096;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static String key(ContentId c) {
        return "id=" + c.hex();
    }

    /** Waits for more data than the sink has now: the stream goes on. */
    private static void assertStillStreaming(PacketRecorder sink) throws InterruptedException {
        long now = sink.bytes();
        assertThat(sink.awaitBytes(now + 50 * TsPackets.PACKET_SIZE, WAIT)).as("more data after recovery").isTrue();
        assertThat(sink.isClosed()).isFalse();
        assertThat(sink.misalignedPackets()).isZero();
    }

    @Test
    void aCutPlaybackIsReopenedOnTheSamePlaybackUrl() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            Subscription sub = h.subscribe(content(1), sink);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();
            h.fake().cutPlaybacks();
            assertThat(h.events.await("state " + key(content(1)) + " RECOVERING->STREAMING", WAIT)).isTrue();
            assertStillStreaming(sink);
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            assertThat(h.fake().playbackOpens()).isEqualTo(2);
            assertThat(h.events.lines()).contains("recovering " + key(content(1)) + " reconnect 1");
            SessionStatus st = h.registry.status(content(1)).orElseThrow();
            assertThat(st.reconnects()).isEqualTo(1);
            assertThat(st.clients()).extracting(ClientStatus::id).containsExactly(sub.clientId());
            assertThat(sub.ended()).isNotDone();
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }

    @Test
    void aStallSendsKeepalivesWithinASecondAndAHalfThenResumesWithTheProgramTablesFirst() throws Exception {
        // no-data timeout longer than the keepalive delay so that keepalive comes first, as with the defaults
        SessionPolicy policy = Harness.FAST.withNoDataTimeout(Duration.ofMillis(1500));
        try (Harness h = Harness.start(1, b -> b.sessionPolicy(policy))) {
            // the stat url cannot say the engine is buffering: the silent playback is reconnected
            h.fake().statFault(true);
            PacketRecorder sink = new PacketRecorder();
            AtomicInteger mark = new AtomicInteger(-1);
            h.events.onState(t -> {
                if (t.equals("STREAMING->RECOVERING")) {
                    mark.set(sink.packetCount());
                }
            });
            h.subscribe(content(2), sink);
            assertThat(sink.awaitBytes(20_000, WAIT)).isTrue();
            long stalledAt = System.nanoTime();
            h.fake().stallPlaybacks(Duration.ofMillis(2200));
            // bytes already on their way may still arrive just after the stall began
            long settled = stalledAt + TimeUnit.MILLISECONDS.toNanos(200);
            assertThat(sink.awaitPid(TsPackets.NULL_PID, 0, WAIT)).isTrue();
            Eventually.within(WAIT, "keepalive", () -> sink.firstArrivalAfter(TsPackets.NULL_PID, settled) > 0);
            long keepaliveAt = sink.firstArrivalAfter(TsPackets.NULL_PID, settled);
            assertThat(Duration.ofNanos(keepaliveAt - stalledAt)).isLessThan(Duration.ofMillis(1500));
            assertThat(sink.packetsOtherThan(TsPackets.NULL_PID, settled, keepaliveAt)).as("no data in the stall").isZero();

            assertThat(h.events.await("state " + key(content(2)) + " RECOVERING->STREAMING", WAIT)).isTrue();
            assertStillStreaming(sink);
            List<Integer> after = sink.pidsFrom(mark.get()).stream().filter(p -> p != TsPackets.NULL_PID).toList();
            assertThat(after).as("first packets after the reconnect").startsWith(PAT, PMT);
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            assertThat(h.fake().playbackOpens()).isGreaterThanOrEqualTo(2);
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }

    @Test
    void aStallWhileTheEngineSaysItIsBufferingKeepsThePlaybackOpenAndResumesOnIt() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(12), sink);
            assertThat(sink.awaitBytes(20_000, WAIT)).isTrue();
            // more than twice the 1 s no-data timeout; the fake's stat url says "buf" meanwhile
            h.fake().stallPlaybacks(Duration.ofMillis(2500));
            assertThat(sink.awaitPid(TsPackets.NULL_PID, 0, WAIT)).as("keepalive during the stall").isTrue();
            Eventually.within(WAIT, "stat polls during the stall", () -> h.fake().statCalls() >= 3);
            long before = sink.bytes();
            assertThat(sink.awaitBytes(before + 50 * TsPackets.PACKET_SIZE, WAIT)).as("data resumes").isTrue();
            assertThat(h.fake().playbackOpens()).as("the stalled playback was kept open").isEqualTo(1);
            assertThat(h.events.lines()).noneMatch(l -> l.startsWith("recovering "));
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }

    @Test
    void aBufferingStallLongerThanTheNoDataAndStartTimeoutsIsRecoveredAnyway() throws Exception {
        SessionPolicy policy = Harness.FAST.withStartTimeout(Duration.ofSeconds(1));
        try (Harness h = Harness.start(1, b -> b.sessionPolicy(policy))) {
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(13), sink);
            assertThat(sink.awaitBytes(20_000, WAIT)).isTrue();
            h.fake().stallPlaybacks(Duration.ofSeconds(8));
            assertThat(h.events.await("recovering " + key(content(13)) + " reconnect 1", WAIT))
                    .as("given up on the buffering playback after 1 s + 1 s of silence").isTrue();
            h.fake().stallPlaybacks(Duration.ZERO);
            assertThat(h.events.await("state " + key(content(13)) + " RECOVERING->STREAMING", WAIT)).isTrue();
            assertStillStreaming(sink);
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }

    @Test
    void anEngineRestartIsRecoveredWithANewEngineSession() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(3), sink);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();
            h.fake().restart(Duration.ofMillis(200));
            assertThat(h.events.await("state " + key(content(3)) + " RECOVERING->STREAMING", WAIT)).isTrue();
            assertStillStreaming(sink);
            assertThat(h.fake().getstreamCalls()).isEqualTo(2);
            // the reconnect was refused (or the engine, back, no longer knew the session): the
            // engine forgot it, so a new session is asked for without more reconnects
            assertThat(h.events.lines()).contains("recovering " + key(content(3)) + " reconnect 1",
                    "recovering " + key(content(3)) + " new-session 1")
                    .doesNotContain("recovering " + key(content(3)) + " reconnect 2");
            assertThat(h.registry.status(content(3)).orElseThrow().reconnects()).isEqualTo(1);
            assertThat(h.fake().stopCalls()).as("no stop for the session the restart forgot").isZero();
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }

    @Test
    void getstreamAnswering5xxIsRetriedOnTheNewSessionRung() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(4), sink);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();
            h.fake().getstreamFault(GetstreamFault.httpStatus(503), 2);
            h.fake().restart(Duration.ofMillis(100));
            assertThat(h.events.await("state " + key(content(4)) + " RECOVERING->STREAMING", WAIT)).isTrue();
            assertStillStreaming(sink);
            assertThat(h.fake().getstreamCalls()).isEqualTo(4);
            assertThat(h.events.lines()).contains("recovering " + key(content(4)) + " new-session 3");
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft(2);
        }
    }

    @Test
    void getstreamAnsweringAnEngineErrorIsRetriedOnTheNewSessionRung() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(5), sink);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();
            h.fake().getstreamFault(GetstreamFault.engineError("failed to load content"), 2);
            h.fake().restart(Duration.ofMillis(100));
            assertThat(h.events.await("state " + key(content(5)) + " RECOVERING->STREAMING", WAIT)).isTrue();
            assertStillStreaming(sink);
            assertThat(h.events.lines()).contains("recovering " + key(content(5)) + " new-session 3");
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft(2);
        }
    }

    @Test
    void aPlaybackThatEndsAtOnceCountsAsWarmingUpNotAsData() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(6), sink);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();
            h.fake().warmUpEmptyPlaybacks(2);
            h.fake().cutPlaybacks();
            assertThat(h.events.await("state " + key(content(6)) + " RECOVERING->STREAMING", WAIT)).isTrue();
            assertStillStreaming(sink);
            assertThat(h.events.lines()).contains("recovering " + key(content(6)) + " reconnect 3")
                    .doesNotContain("recovering " + key(content(6)) + " reconnect 4");
            assertThat(h.fake().playbackOpens()).isEqualTo(4);
            assertThat(h.fake().getstreamCalls()).as("warm-up retries reuse the engine session").isEqualTo(1);
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }

    @Test
    void theNewSessionRungStopsTheOldEngineSessionBeforeItsGetstream() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(11), sink);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();
            // every reconnect fails while the engine session lives; the new-session rung's getstream is held
            h.fake().failPlaybackStarts(Harness.FAST_RETRY.maxAttempts());
            h.fake().getstreamFault(GetstreamFault.noAnswer(), 1);
            h.fake().cutPlaybacks();
            Eventually.within(WAIT, "the new-session getstream", () -> h.fake().getstreamCalls() == 2);
            assertThat(h.fake().stopCalls()).as("the old session was stopped before the new getstream").isEqualTo(1);
            assertThat(h.fake().openSessions()).isZero();
            h.fake().clearFaults();
            assertThat(h.events.await("state " + key(content(11)) + " RECOVERING->STREAMING", WAIT)).isTrue();
            assertStillStreaming(sink);
            assertThat(h.fake().getstreamCalls()).isEqualTo(3);
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft(1);
        }
    }

    @Test
    void aChannelFailsOverToTheNextAlternateAndCyclesBackToTheFirst() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            ContentId a = content(7);
            ContentId b = content(8);
            PacketRecorder sink = new PacketRecorder();
            Subscription sub = h.registry.subscribe(Channel.of("sport", a, b), Map.of(), sink, ClientInfo.anonymous());
            assertThat(sub.content()).isEqualTo(a);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();

            h.fake().markUnavailable(a.hex());
            h.fake().restart(Duration.ofMillis(100));
            assertThat(h.events.await("failover channel:sport " + a.hex() + "->" + b.hex(), WAIT)).isTrue();
            assertThat(h.events.await("state channel:sport RECOVERING->STREAMING", WAIT)).isTrue();
            assertThat(sub.content()).isEqualTo(b);
            assertStillStreaming(sink);

            h.fake().clearFaults();
            h.fake().markUnavailable(b.hex());
            h.fake().restart(Duration.ofMillis(100));
            assertThat(h.events.await("failover channel:sport " + b.hex() + "->" + a.hex(), WAIT)).isTrue();
            Eventually.within(WAIT, "back on the first alternate",
                    () -> h.registry.status(a).map(s -> s.state() == SessionState.STREAMING).orElse(false));
            assertThat(sub.content()).isEqualTo(a);
            assertStillStreaming(sink);
            SessionStatus st = h.registry.status(a).orElseThrow();
            assertThat(st.failovers()).isEqualTo(2);
            assertThat(st.key()).isEqualTo("channel:sport");
            assertThat(h.registry.status().totals().failovers()).isEqualTo(2);
            assertThat(sub.ended()).isNotDone();
            // one getstream failed: the second loss goes straight to failover (new-session is
            // exhausted until the ladder resets)
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft(1);
        }
    }

    @Test
    void anExhaustedLadderFailsTheSessionAndEndsEveryClientsStream() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            Subscription sub = h.subscribe(content(9), sink);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();
            h.fake().markUnavailable(content(9).hex());
            h.fake().restart(Duration.ofMillis(50));
            StreamEnd end = sub.ended().get(10, TimeUnit.SECONDS);
            assertThat(end.reason()).isEqualTo(EndReason.STREAM_FAILED);
            assertThat(end.detail()).hasValueSatisfying(d -> assertThat(d).contains("recovery failed"));
            assertThat(sink.isClosed()).isTrue();
            assertThat(h.events.lines()).contains("state " + key(content(9)) + " RECOVERING->FAILED",
                    "recovering " + key(content(9)) + " new-session 4",
                    "left " + key(content(9)) + " STREAM_FAILED");
            assertThat(h.registry.status(content(9))).isEmpty();
            h.allowRecoveriesAsCounted();
            h.assertNothingLeftButSessions();
            // the only session was forgotten by the restart; every later getstream was refused or failed
            assertThat(h.fake().stopCalls()).as("no stop for a forgotten session").isZero();
            assertThat(h.fake().sessionsStarted()).isEqualTo(h.fake().sessionsForgotten()).isEqualTo(1);
        }
    }
}
