package dev.aceproxy.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlaybackPacerTest {

    private static final long RATE = 8_000_000;   // one byte a microsecond
    private static final long BURST = 1_000_000;
    private static final long MS = 1_000_000;

    @Test
    void theBurstGoesAtOnceThenPacingStartsWhereItEnds() {
        PlaybackPacer pacer = new PlaybackPacer(RATE, BURST);
        assertThat(pacer.nanosUntilDue(0, 1000, 0)).isZero();
        // Each paced write goes when its last byte is due, counted from the burst's end.
        assertThat(pacer.nanosUntilDue(BURST, 1000, 5 * MS)).as("the first paced write").isEqualTo(MS);
        assertThat(pacer.nanosUntilDue(BURST + 1000, 1000, 5 * MS)).isEqualTo(2 * MS);
    }

    @Test
    void aStallBeforeTheBurstEndsDoesNotMakeTheBurstBePaidBackWithSilence() {
        PlaybackPacer pacer = new PlaybackPacer(RATE, BURST);
        // held by a stall at the connection's start, then released at 3 s
        pacer.restart(0, 3_000 * MS);
        assertThat(pacer.nanosUntilDue(0, 1000, 3_000 * MS)).isZero();
        assertThat(pacer.nanosUntilDue(BURST, 1000, 3_001 * MS)).as("the first paced write after the burst")
                .isEqualTo(MS);
    }

    @Test
    void aStallAfterTheBurstRestartsTheScheduleWithoutACatchUp() {
        PlaybackPacer pacer = new PlaybackPacer(RATE, 0);
        assertThat(pacer.nanosUntilDue(0, 1000, 0)).isEqualTo(MS);
        pacer.restart(50_000, 10_000 * MS);
        assertThat(pacer.nanosUntilDue(50_000, 1000, 10_000 * MS)).isEqualTo(MS);
    }
}
