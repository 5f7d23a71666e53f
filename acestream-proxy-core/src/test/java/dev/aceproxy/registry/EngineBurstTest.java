package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.testkit.WriteProfile;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An engine releases its buffered window at link speed. The pump reads no faster than the fastest
 * player takes the stream, so a burst far larger than a player's queue reaches a player slower
 * than the burst whole, instead of overflowing its queue at once; a player that is only late for a
 * moment (a new one whose thread has not written yet) is waited for too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineBurstTest {

    private static final long BURST = 8L << 20;
    private static final PlayerPolicy ONE_MIB_QUEUE = PlayerPolicy.DEFAULT.withMaxQueuedBytes(1L << 20);

    @Test
    void aBurstEightTimesTheQueueReachesASlowerPlayerWhole() throws Exception {
        try (Harness h = Harness.start(1, e -> e.writeProfile(WriteProfile.ragged(9).withBurst(BURST)),
                b -> b.playerPolicy(ONE_MIB_QUEUE))) {
            // 2 ms a write: tens of MB/s, slower than a burst over loopback.
            PacketRecorder player = new PacketRecorder().slowed(Duration.ofMillis(2));
            Subscription sub = h.subscribe(content(1), player);
            assertThat(player.awaitBytes(BURST + 100_000, Duration.ofSeconds(40))).as("the whole burst arrived").isTrue();
            assertThat(sub.ended()).as("the player was not cut off").isNotDone();
            assertThat(h.registry.status().totals().evictions()).isZero();
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            sub.close();
            h.assertNothingLeft();
        }
    }

    @Test
    void aPlayerWhoseFirstWriteIsLateDuringABurstIsNotCutOff() throws Exception {
        try (Harness h = Harness.start(1, e -> e.writeProfile(WriteProfile.ragged(9).withBurst(BURST)),
                b -> b.playerPolicy(ONE_MIB_QUEUE))) {
            PacketRecorder fast = new PacketRecorder();
            Subscription fastSub = h.subscribe(content(3), fast);
            assertThat(fast.awaitBytes(1L << 20, Duration.ofSeconds(10))).isTrue();
            // Joins during the burst, and its thread writes only after 300 ms: at the fast player's
            // pace the burst would fill its queue many times over meanwhile.
            PacketRecorder late = new PacketRecorder().firstWriteDelayed(Duration.ofMillis(300));
            Subscription lateSub = h.subscribe(content(3), late);
            assertThat(late.awaitBytes(2L << 20, Duration.ofSeconds(20))).as("the late player gets the stream").isTrue();
            assertThat(lateSub.ended()).as("the late player was not cut off").isNotDone();
            assertThat(h.registry.status().totals().evictions()).isZero();
            late.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            fast.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            fastSub.close();
            lateSub.close();
            h.assertNothingLeft();
        }
    }

    @Test
    void aPlayerThatFallsAWholeQueueBehindTheFastestIsStillCutOff() throws Exception {
        try (Harness h = Harness.start(1, e -> e.writeProfile(WriteProfile.ragged(9).withBurst(BURST)),
                b -> b.playerPolicy(ONE_MIB_QUEUE))) {
            PacketRecorder fast = new PacketRecorder();
            PacketRecorder stuck = new PacketRecorder().slowed(Duration.ofSeconds(30));
            Subscription fastSub = h.subscribe(content(2), fast);
            Subscription stuckSub = h.subscribe(content(2), stuck);
            assertThat(fast.awaitBytes(BURST, Duration.ofSeconds(40))).as("the fast player got the burst").isTrue();
            assertThat(stuckSub.ended().get(10, TimeUnit.SECONDS).reason()).isEqualTo(dev.aceproxy.fanout.EndReason.OVERFLOW);
            assertThat(fastSub.ended()).isNotDone();
            fast.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            fastSub.close();
            h.assertNothingLeft();
        }
    }
}
