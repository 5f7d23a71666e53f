package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void nearestRankOnOneToHundred() {
        long[] sorted = LongStream.rangeClosed(1, 100).toArray();
        assertThat(LatencySummary.percentile(sorted, 50)).isEqualTo(50);
        assertThat(LatencySummary.percentile(sorted, 99)).isEqualTo(99);
        assertThat(LatencySummary.percentile(sorted, 100)).isEqualTo(100);
        assertThat(LatencySummary.percentile(sorted, 0.1)).isEqualTo(1);
    }

    @Test
    void smallSetsTakeTheLargestValueForHighPercentiles() {
        long[] sorted = {10, 20, 30};
        assertThat(LatencySummary.percentile(sorted, 50)).isEqualTo(20);
        assertThat(LatencySummary.percentile(sorted, 99)).isEqualTo(30);
        assertThat(LatencySummary.percentile(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void summarisesUnsortedNanosInMillis() {
        long[] nanos = {5_000_000, 1_000_000, 3_000_000, 2_000_000, 4_000_000};
        LatencySummary s = LatencySummary.ofNanos(nanos);
        assertThat(s.count()).isEqualTo(5);
        assertThat(s.p50Millis()).isEqualTo(3.0);
        assertThat(s.p99Millis()).isEqualTo(5.0);
        assertThat(s.maxMillis()).isEqualTo(5.0);
        assertThat(nanos[0]).as("input untouched").isEqualTo(5_000_000);
    }

    @Test
    void noValuesGiveNaN() {
        assertThat(LatencySummary.ofNanos(new long[0])).isEqualTo(LatencySummary.EMPTY);
        assertThat(LatencySummary.EMPTY.p50Millis()).isNaN();
    }

    @Test
    void rejectsPercentilesOutOfRange() {
        assertThatIllegalArgumentException().isThrownBy(() -> LatencySummary.percentile(new long[] {1}, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> LatencySummary.percentile(new long[] {1}, 100.5));
        assertThatIllegalArgumentException().isThrownBy(() -> LatencySummary.percentile(new long[0], 50));
    }
}
