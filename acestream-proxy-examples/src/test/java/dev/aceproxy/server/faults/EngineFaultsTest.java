package dev.aceproxy.server.faults;

import static dev.aceproxy.server.faults.FaultRig.ID_A;
import static dev.aceproxy.server.faults.FaultRig.ID_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.registry.SessionState;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.testkit.EngineEvent;
import dev.aceproxy.testkit.GetstreamFault;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine misbehaves while players watch (or try to start) a stream through the real server.
 * Each case checks what the players see and what the engine saw.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EngineFaultsTest {

    private static final Duration SOON = Duration.ofSeconds(8);
    /** About 1.2 s of the 1.7 Mbit/s clip. */
    private static final long SOME_DATA = 256 * 1024;

    @Test
    void theEngineCutsTheStream() throws Exception {
        try (FaultRig rig = FaultRig.start(); SocketPlayer player = rig.play(ID_A)) {
            player.receives(SOME_DATA, SOON);
            rig.engine.clearEvents();
            rig.engine.cutPlaybacks();
            player.capture(SocketPlayer.KEPT_LIMIT);
            // Bytes already queued and in socket buffers keep coming for a while: wait for the
            // reconnect itself before counting the data that follows it.
            assertThat(rig.engine.awaitEvent(EngineEvent.Kind.PLAYBACK_HEADERS_SENT, SOON)).as("reconnected").isNotNull();
            player.receives(2 * SOME_DATA, SOON, "data resumes after the cut");
            assertThat(player.ended()).as("the player's connection is kept").isFalse();
            assertThat(player.misalignedPackets()).isZero();
            assertThat(rig.engine.getstreamCalls()).as("recovered on the same session").isEqualTo(1);
            assertThat(rig.engine.playbackOpens()).isEqualTo(2);
            assertThat(rig.engine.secondReaderAttempts()).isZero();
            assertThat(rig.engine.openSessions()).isEqualTo(1);
            assertThat(rig.registry.status().totals().reconnects()).isEqualTo(1);
            Eventually.within(SOON, "the capture holds the recovered stream",
                    () -> Decoder.holdsDecodableRecovery(player.captured()));
            Decoder.assertDecodesCleanly(player.captured());
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint().allowingRecoveries(1));
        }
    }

    @Test
    void theEngineStallsLongerThanTheNoDataTimeoutSayingItIsBuffering() throws Exception {
        try (FaultRig rig = FaultRig.start(); SocketPlayer player = rig.play(ID_A)) {
            player.receives(SOME_DATA, SOON);
            // the fake's stat url says "buf" during a stall: the silent connection is kept
            rig.engine.stallPlaybacks(FaultRig.NO_DATA_TIMEOUT.multipliedBy(2));
            Eventually.within(SOON, "keepalive null packets during the stall", () -> player.nullPackets() > 0);
            player.capture(SocketPlayer.KEPT_LIMIT);
            player.receives(2 * SOME_DATA, SOON, "data resumes");
            assertThat(player.ended()).isFalse();
            assertThat(player.misalignedPackets()).isZero();
            assertThat(rig.engine.playbackOpens()).as("the stalled connection was kept and resumed").isEqualTo(1);
            assertThat(rig.engine.getstreamCalls()).isEqualTo(1);
            assertThat(rig.engine.openSessions()).isEqualTo(1);
            Eventually.within(SOON, "the capture holds the recovered stream",
                    () -> Decoder.holdsDecodableRecovery(player.captured()));
            Decoder.assertDecodesCleanly(player.captured());
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
        }
    }

    @Test
    void theEngineStallsLongerThanTheNoDataTimeout() throws Exception {
        try (FaultRig rig = FaultRig.start(); SocketPlayer player = rig.play(ID_A)) {
            player.receives(SOME_DATA, SOON);
            // no usable stat answer: the engine cannot say it is buffering, so the stall is recovered
            rig.engine.statFault(true);
            rig.engine.clearEvents();
            rig.engine.stallPlaybacks(FaultRig.NO_DATA_TIMEOUT.multipliedBy(2));
            Eventually.within(SOON, "keepalive null packets during the stall", () -> player.nullPackets() > 0);
            player.capture(SocketPlayer.KEPT_LIMIT);
            assertThat(rig.engine.awaitEvent(EngineEvent.Kind.PLAYBACK_HEADERS_SENT, SOON)).as("reconnected").isNotNull();
            player.receives(2 * SOME_DATA, SOON, "data resumes");
            assertThat(player.ended()).isFalse();
            assertThat(player.misalignedPackets()).isZero();
            assertThat(rig.engine.secondReaderAttempts()).isZero();
            // The fake counts the stalled connection until its streaming thread notices the close.
            Eventually.within(SOON, "the stalled connection was closed",
                    () -> rig.engine.openPlaybackConnections() == 1);
            assertThat(rig.engine.playbackOpens()).isGreaterThanOrEqualTo(2);
            assertThat(rig.engine.getstreamCalls()).isEqualTo(1);
            assertThat(rig.engine.openSessions()).isEqualTo(1);
            Eventually.within(SOON, "the capture holds the recovered stream",
                    () -> Decoder.holdsDecodableRecovery(player.captured()));
            Decoder.assertDecodesCleanly(player.captured());
            // The fake stalls a new connection too, so a reconnect during the stall can itself be
            // silent until its read deadline, which the stall's end may just miss: one or two.
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint().allowingRecoveries(2));
        }
    }

    @Test
    void theEngineRestarts() throws Exception {
        // A real restart refuses calls for ~10 s against an 8 s backoff cap; here 1.5 s against
        // 400 ms, so that the ladder goes through the same rungs.
        try (FaultRig rig = FaultRig.start(); SocketPlayer player = rig.play(ID_A)) {
            player.receives(SOME_DATA, SOON);
            rig.engine.clearEvents();
            rig.engine.restart(Duration.ofMillis(1500));
            player.capture(SocketPlayer.KEPT_LIMIT);
            assertThat(rig.engine.awaitEvent(EngineEvent.Kind.PLAYBACK_HEADERS_SENT, Duration.ofSeconds(15)))
                    .as("a new session streams").isNotNull();
            player.receives(2 * SOME_DATA, Duration.ofSeconds(15), "data resumes");
            assertThat(player.ended()).isFalse();
            assertThat(player.misalignedPackets()).isZero();
            assertThat(rig.engine.getstreamCalls()).as("one new engine session").isEqualTo(2);
            assertThat(rig.engine.stopCalls()).as("no stop for the session the restart forgot").isZero();
            assertThat(rig.engine.openSessions()).isEqualTo(1);
            assertThat(rig.engine.secondReaderAttempts()).isZero();
            Eventually.within(SOON, "the capture holds the recovered stream",
                    () -> Decoder.holdsDecodableRecovery(player.captured()));
            Decoder.assertDecodesCleanly(player.captured());
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint().allowingRecoveries(1));
        }
    }

    @Test
    void theEngineIsStillWarmingUpAtTheFirstPlaybackOpens() throws Exception {
        try (FaultRig rig = FaultRig.start()) {
            rig.engine.warmUpEmptyPlaybacks(3);
            try (SocketPlayer player = rig.play(ID_A)) {
                player.receives(SOME_DATA, SOON);
                assertThat(rig.engine.playbackOpens()).isEqualTo(4);
                assertThat(rig.engine.getstreamCalls()).as("each retry reopens the one engine session").isEqualTo(1);
                assertThat(rig.engine.stopCalls()).isZero();
            }
            Eventually.within(SOON, "stopped after the last player", () -> rig.engine.openSessions() == 0);
            assertThat(rig.engine.stopCalls()).isEqualTo(1);
        }
    }

    @Test
    void getstreamAnswersAnEngineError() throws Exception {
        assertStartFault(GetstreamFault.engineError("failed to load content"), 404, "content_unavailable");
    }

    @Test
    void getstreamAnswersA5xx() throws Exception {
        assertStartFault(GetstreamFault.httpStatus(500), 502, "engine_failed");
    }

    @Test
    void getstreamAnswersMalformedJson() throws Exception {
        assertStartFault(GetstreamFault.malformedJson(), 502, "engine_protocol");
    }

    @Test
    void getstreamAnswersNothing() throws Exception {
        assertStartFault(GetstreamFault.noAnswer(), 504, "engine_timeout");
    }

    private static void assertStartFault(GetstreamFault fault, int status, String code) throws Exception {
        try (FaultRig rig = FaultRig.start()) {
            rig.engine.getstreamFault(fault);
            RawExchange answer = RawExchange.get(rig.port(), "/ace/getstream?id=" + ID_A);
            // every getstream made until the faults are cleared failed and started no session
            rig.getstreamsFailed(rig.engine.getstreamCalls());
            assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
            assertThat(answer.body()).contains("\"error\":\"" + code + "\"")
                    .as("no internal url nor exception text in the body: the log has them")
                    .doesNotContain(rig.engine.baseUri().getHost() + ":" + rig.engine.baseUri().getPort())
                    .doesNotContain("Exception").doesNotContain("/ace/");
            assertThat(rig.engine.playbackOpens()).isZero();
            assertThat(rig.engine.openSessions()).isZero();
            assertThat(rig.registry.status().sessions()).isEmpty();
            rig.engine.clearFaults();
            try (SocketPlayer player = rig.play(ID_A)) {
                player.receives(SOME_DATA, SOON, "serving again once the engine is fine");
                player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            }
        }
    }

    @Test
    void theEngineHangsOnStop() throws Exception {
        try (FaultRig rig = FaultRig.start()) {
            rig.engine.hangStop(true);
            rig.stopsHang();
            try (SocketPlayer player = rig.play(ID_A)) {
                player.receives(SOME_DATA, SOON);
                player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            }
            Eventually.within(SOON, "the stop reached the engine", () -> rig.engine.stopCalls() == 1);
            Eventually.within(FaultRig.STOP_TIMEOUT.plusSeconds(2),
                    "the playback is closed although stop never answered",
                    () -> rig.engine.openPlaybackConnections() == 0);
            long started = System.nanoTime();
            RawExchange status = RawExchange.get(rig.port(), "/api/v1/streams");
            assertThat(status.status()).isEqualTo(200);
            // a status call never waits on the hanging stop (it would hang for good)
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5000);
            try (SocketPlayer other = rig.play(ID_B); SocketPlayer again = rig.play(ID_A)) {
                other.receives(SOME_DATA, SOON, "another content plays");
                again.receives(SOME_DATA, SOON, "the same content plays again");
                other.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
                again.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            }
            assertThat(rig.engine.secondReaderAttempts()).isZero();
        }
    }

    @Test
    void theStatUrlAnswersGarbage() throws Exception {
        try (FaultRig rig = FaultRig.start()) {
            rig.engine.statFault(true);
            try (SocketPlayer player = rig.play(ID_A)) {
                player.receives(SOME_DATA, SOON);
                Eventually.within(SOON, "three stat polls during the stall", () -> rig.engine.statCalls() >= 3);
                player.receives(SOME_DATA, SOON);
                assertThat(player.ended()).isFalse();
                assertThat(rig.registry.status().sessions()).singleElement()
                        .satisfies(s -> assertThat(s.state()).isEqualTo(SessionState.STREAMING));
                RawExchange streams = RawExchange.get(rig.port(), "/api/v1/streams");
                assertThat(streams.status()).isEqualTo(200);
                assertThat(rig.engine.playbackOpens()).as("stats trouble never touches the stream").isEqualTo(1);
                player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            }
        }
    }

    @Test
    void anEngineBehindAPortMapStillOnlyGetsItsOwnAddressCalled() throws Exception {
        // The engine advertises another host in its urls: the proxy rewrites them and never leaves
        // the configured address (an unreachable advertised address would otherwise break playback).
        try (FaultRig rig = FaultRig.start(FakeAceEngine.builder()
                .advertisedBaseUri(java.net.URI.create("http://10.255.255.1:6878")), b -> b);
             SocketPlayer player = rig.play(ID_A)) {
            player.receives(SOME_DATA, SOON);
            assertThat(rig.engine.playbackOpens()).isEqualTo(1);
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
        }
    }
}
