package dev.aceproxy.server.faults;

import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import static dev.aceproxy.server.faults.FaultRig.ID_A;
import static dev.aceproxy.server.faults.FaultRig.ID_B;
import static dev.aceproxy.server.faults.FaultRig.ID_C;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.registry.Limits;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.StreamListener;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Players misbehave against the real server: they vanish mid-packet, never read, read a byte a
 * second, arrive 200 at once, zap between channels, or come beyond the limits. The well-behaved
 * player beside them must not notice, and the engine must see one session and one reader.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientFaultsTest {

    private static final Duration SOON = Duration.ofSeconds(8);
    private static final long SOME_DATA = 256 * 1024;
    /** The zapping run; the CI default is short, {@code -Daceproxy.faults.zapSeconds=60} for the full minute. */
    private static final int ZAP_SECONDS = Integer.getInteger("aceproxy.faults.zapSeconds", 15);

    @Test
    void aPlayerThatDisconnectsMidPacket() throws Exception {
        try (FaultRig rig = FaultRig.start(); SocketPlayer steady = rig.play(ID_A)) {
            steady.receives(SOME_DATA, SOON);
            try (Socket rude = new Socket("127.0.0.1", rig.port())) {
                rude.getOutputStream().write(("GET /ace/getstream?id=" + ID_A + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = rude.getInputStream();
                assertThat(SocketPlayer.readHead(in)).startsWith("HTTP/1.1 200");
                assertThat(in.readNBytes(1000)).hasSize(1000); // 5 packets and a part of one
                assertThat(rig.registry.status().totals().clients()).isEqualTo(2);
                rude.setSoLinger(true, 0);
            }
            Eventually.within(SOON, "the steady player registered",
                    () -> rig.registry.status().totals().clients() == 1);
            steady.receives(SOME_DATA, SOON);
            assertThat(steady.ended()).isFalse();
            assertThat(steady.misalignedPackets()).isZero();
            assertThat(rig.engine.playbackOpens()).isEqualTo(1);
            assertThat(rig.engine.getstreamCalls()).isEqualTo(1);
            steady.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
        }
    }

    @Test
    void aPlayerThatNeverReads() throws Exception {
        assertSlowPlayerIsDroppedAlone(0);
    }

    @Test
    void aPlayerThatReadsOneByteASecond() throws Exception {
        assertSlowPlayerIsDroppedAlone(1);
    }

    private static void assertSlowPlayerIsDroppedAlone(int bytesPerSecond) throws Exception {
        Queue<StreamEnd> ends = new ConcurrentLinkedQueue<>();
        StreamListener listener = new StreamListener() {
            @Override
            public void clientLeft(String sessionKey, long clientId, StreamEnd end) {
                ends.add(end);
            }
        };
        // 12 Mbit/s fills the slow player's socket buffers and its 1 MiB queue within seconds.
        try (FaultRig rig = FaultRig.start(FakeAceEngine.builder().bitrate(12_000_000), b -> b.listener(listener));
             SocketPlayer steady = rig.play(ID_A);
             Socket slow = new Socket()) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", rig.port()));
            slow.getOutputStream().write(("GET /ace/getstream?id=" + ID_A + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            Eventually.within(SOON, "both players registered", () -> rig.registry.status().totals().clients() == 2);
            InputStream in = slow.getInputStream();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (rig.registry.status().totals().clients() == 2 && System.nanoTime() < deadline) {
                if (bytesPerSecond > 0) {
                    in.read();
                }
                Thread.sleep(bytesPerSecond > 0 ? 1000 / bytesPerSecond : 100); // paces the slow player (the scenario)
            }
            assertThat(rig.registry.status().totals().clients()).as("the slow player was dropped").isEqualTo(1);
            // the client leaves the session's table first; the eviction count and the listener follow a moment later
            Eventually.within(SOON, "the slow player evicted and its end told",
                    () -> !ends.isEmpty() && rig.registry.status().totals().evictions() == 1);
            assertThat(ends).singleElement().satisfies(
                    e -> assertThat(e.reason()).isIn(EndReason.OVERFLOW, EndReason.STALLED));
            assertThat(rig.registry.status().totals().evictions()).isEqualTo(1);
            steady.receives(SOME_DATA, SOON, "the steady player never noticed");
            assertThat(steady.ended()).isFalse();
            assertThat(steady.misalignedPackets()).isZero();
            assertThat(rig.engine.playbackOpens()).isEqualTo(1);
            assertThat(rig.engine.secondReaderAttempts()).isZero();
            steady.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
        }
    }

    @Test
    void twoHundredPlayersAtOnce() throws Exception {
        int players = 200;
        // Beyond the default bound of 64 players, on purpose.
        try (FaultRig rig = FaultRig.start(FakeAceEngine.builder(), FaultRig.limits(Limits.UNLIMITED));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch allPlaying = new CountDownLatch(players);
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < players; i++) {
                results.add(threads.submit(() -> {
                    go.await();
                    try (SocketPlayer p = rig.play(ID_A).keepAtMost(256 * 1024)) {
                        p.receives(188 * 200, Duration.ofSeconds(20), "a player's first 200 packets");
                        // Everyone stays until all play, so that this is one session of 200 players.
                        allPlaying.countDown();
                        allPlaying.await(30, TimeUnit.SECONDS);
                        p.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
                        return p.ended() ? -2L : p.misalignedPackets();
                    }
                }));
            }
            go.countDown();
            for (Future<Long> result : results) {
                assertThat(result.get(40, TimeUnit.SECONDS)).as("a player's misaligned packets (-2: ended)").isZero();
            }
            assertThat(rig.engine.getstreamCalls()).isEqualTo(1);
            assertThat(rig.engine.playbackOpens()).isEqualTo(1);
            assertThat(rig.engine.secondReaderAttempts()).isZero();
            Eventually.within(SOON, "stopped after the last left", () -> rig.engine.openSessions() == 0);
            assertThat(rig.engine.stopCalls()).isEqualTo(1);
            assertThat(rig.registry.status().totals().clients()).isZero();
        }
    }

    @Test
    void zappingBetweenChannels() throws Exception {
        // Join, watch half a second, leave, join the next: for ZAP_SECONDS, with the default-like
        // linger scaled down (10 s -> 1 s) so that sessions are reused and also expire.
        String[] channels = {ID_A, ID_B, ID_C};
        try (FaultRig rig = FaultRig.start(FakeAceEngine.builder(), FaultRig.linger(Duration.ofSeconds(1)))) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(ZAP_SECONDS);
            int zaps = 0;
            while (System.nanoTime() < end) {
                try (SocketPlayer p = rig.play(channels[zaps % channels.length])) {
                    p.receives(188, SOON, String.format("zap %d got data", zaps));
                    Thread.sleep(500); // the scenario: the zapper watches half a second
                    assertThat(p.misalignedPackets()).isZero();
                    assertThat(p.ended()).isFalse();
                    p.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
                }
                zaps++;
            }
            // each zap watches 500 ms; a start that took seconds would show here
            assertThat(zaps).isGreaterThanOrEqualTo(ZAP_SECONDS / 2);
            assertThat(rig.engine.secondReaderAttempts()).isZero();
            Eventually.within(SOON, "every session stopped after linger", () -> rig.engine.openSessions() == 0);
            // The fake engine counts a playback connection until its streaming thread sees the close.
            Eventually.within(SOON, "playbacks closed", () -> rig.engine.openPlaybackConnections() == 0);
            assertThat(rig.registry.status().sessions()).isEmpty();
        }
    }

    @Test
    void playersBeyondTheLimitsGet503AndTheRunningStreamIsUntouched() throws Exception {
        try (FaultRig rig = FaultRig.start(FakeAceEngine.builder(),
                FaultRig.limits(new Limits(1, 2, 0, Duration.ofSeconds(7))));
             SocketPlayer first = rig.play(ID_A);
             SocketPlayer second = rig.play(ID_A)) {
            first.receives(SOME_DATA, SOON);
            for (String target : List.of("/ace/getstream?id=" + ID_A, "/ace/getstream?id=" + ID_B)) {
                for (int i = 0; i < 20; i++) {
                    RawExchange refused = RawExchange.get(rig.port(), target);
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.header("Retry-After")).isEqualTo("7");
                    assertThat(refused.body()).contains("\"error\":\"limit_reached\"");
                }
            }
            first.receives(SOME_DATA, SOON);
            second.receives(SOME_DATA, SOON);
            assertThat(first.ended() || second.ended()).isFalse();
            assertThat(first.misalignedPackets() + second.misalignedPackets()).isZero();
            assertThat(rig.engine.getstreamCalls()).as("refusals never reach the engine").isEqualTo(1);
            assertThat(rig.engine.playbackOpens()).isEqualTo(1);
            first.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            second.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
        }
    }
}
