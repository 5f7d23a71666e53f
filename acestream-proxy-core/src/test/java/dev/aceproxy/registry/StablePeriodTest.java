package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.testkit.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The recovery ladder starts over after {@link RetryPolicy#resetAfter()} of data, measured on the registry's clock. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StablePeriodTest {

    /** Each playback ends cleanly after this many bytes: a loss every fraction of a second. */
    private static final long BYTES_PER_PLAYBACK = 30_000;

    @Test
    void withoutAStablePeriodRepeatedLossesExhaustTheLadder() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            h.fake().endPlaybacksAfter(BYTES_PER_PLAYBACK);
            Subscription sub = h.subscribe(content(1), new PacketRecorder());
            StreamEnd end = sub.ended().get(15, TimeUnit.SECONDS);
            assertThat(end.reason()).isEqualTo(EndReason.STREAM_FAILED);
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }

    @Test
    void afterAStablePeriodTheLadderStartsOver() throws Exception {
        // every reading of this clock is 31 s after the previous one: each stretch of data counts as stable
        SteppingClock clock = new SteppingClock(Duration.ofSeconds(31));
        try (Harness h = Harness.start(1, b -> b.clock(clock))) {
            h.fake().endPlaybacksAfter(BYTES_PER_PLAYBACK);
            PacketRecorder sink = new PacketRecorder();
            Subscription sub = h.subscribe(content(1), sink);
            // more losses than the ladder has attempts (4 reconnects + 4 new sessions)
            Eventually.within(Duration.ofSeconds(15), "a dozen recoveries",
                    () -> h.registry.status(content(1)).map(s -> s.reconnects() >= 12).orElse(false));
            assertThat(sub.ended()).isNotDone();
            assertThat(h.events.lines()).doesNotContain("recovering id=" + content(1).hex() + " reconnect 2");
            assertThat(sink.misalignedPackets()).isZero();
            h.fake().clearFaults();
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }

    /** A clock that moves forward by a fixed step on every reading. */
    private static final class SteppingClock extends Clock {
        private final AtomicLong millis = new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        private final long step;

        SteppingClock(Duration step) {
            this.step = step.toMillis();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.addAndGet(step);
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }
}
