package dev.aceproxy.server.faults;

import static dev.aceproxy.server.faults.FaultRig.ID_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.testkit.WriteProfile;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Timeout;

/**
 * Whatever sizes the engine writes in, every player gets the engine's stream byte for byte, under
 * production defaults (gathering and fast start on): two players from the start and one that
 * joins a second later, each checked against the clip by the oracle. The 12 032-byte case is the
 * one that showed the wave-1 reordering to a user; the 3 MB burst followed by random sizes is the
 * other.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WritePatternsTest {

    private static final Duration SOON = Duration.ofSeconds(10);
    /** About 2 s of the 1.7 Mbit/s clip after each player's start. */
    private static final long WATCH_BYTES = 450 * 1024;
    /** The paced rate at which a uniform engine writes 64 packets (12 032 bytes) every 10 ms. */
    private static final long TWELVE_KB_BLOCKS_RATE = 64L * 188 * 8 * 100;

    static Stream<Arguments> profiles() {
        return Stream.of(
                Arguments.of("12 032-byte blocks at 4.3 Mbit/s", FakeAceEngine.builder().bitrate(4_300_000)
                        .writeProfile(WriteProfile.fixed(12_032))),
                Arguments.of("64-packet blocks every 10 ms", FakeAceEngine.builder().bitrate(TWELVE_KB_BLOCKS_RATE)
                        .writeProfile(WriteProfile.uniform())),
                Arguments.of("3 MB burst, then ragged", FakeAceEngine.builder()
                        .writeProfile(WriteProfile.ragged(3).withBurst(3L << 20))),
                Arguments.of("ragged, no burst", FakeAceEngine.builder().writeProfile(WriteProfile.ragged(11))),
                Arguments.of("trickle", FakeAceEngine.builder().writeProfile(WriteProfile.trickle(5))),
                Arguments.of("3 MB burst, then uniform", FakeAceEngine.builder()
                        .writeProfile(WriteProfile.bursty(3L << 20))),
                Arguments.of("the default (ragged after a 1 MiB burst)", FakeAceEngine.builder()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void everyPlayerGetsTheStreamByteForByte(String name, FakeAceEngine.Builder engine) throws Exception {
        try (FaultRig rig = FaultRig.start(engine, b -> b);
             SocketPlayer first = rig.play(ID_A);
             SocketPlayer second = rig.play(ID_A)) {
            first.receives(WATCH_BYTES / 2, SOON);
            try (SocketPlayer late = rig.play(ID_A)) {
                late.receives(WATCH_BYTES, SOON);
                first.receives(WATCH_BYTES / 2, SOON);
                for (SocketPlayer player : new SocketPlayer[] {first, second, late}) {
                    player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
                }
            }
            assertThat(rig.engine.playbackOpens()).isEqualTo(1);
            assertThat(rig.engine.getstreamCalls()).isEqualTo(1);
        }
    }
}
