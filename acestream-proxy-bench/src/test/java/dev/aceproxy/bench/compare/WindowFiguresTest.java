package dev.aceproxy.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowFiguresTest {

    private static final long S = 1_000_000_000L;

    @Test
    void cpuPerGbPerSecondAndTheSplit() {
        Mark a = new Mark(10 * S, 100, 50, 1_000_000_000L, 7_000);
        Mark b = new Mark(30 * S, 160, 90, 3_000_000_000L, 1_007_000);
        WindowFigures w = WindowFigures.between(a, b, 100);
        assertThat(w.seconds()).isEqualTo(20.0);
        assertThat(w.userMillis()).isEqualTo(600.0);
        assertThat(w.systemMillis()).isEqualTo(400.0);
        assertThat(w.bytes()).isEqualTo(2_000_000_000L);
        assertThat(w.engineBytes()).isEqualTo(1_000_000);
        assertThat(w.cpuMillis()).isEqualTo(1000.0);
        assertThat(w.cpuMillisPerSecond()).isEqualTo(50.0);
        assertThat(w.cpuMillisPerGb()).isEqualTo(500.0);
        assertThat(w.userMillisPerGb()).isEqualTo(300.0);
        assertThat(w.systemMillisPerGb()).isEqualTo(200.0);
        assertThat(w.deliveredMbps()).isCloseTo(800.0, within(1e-9));
        assertThat(w.deliveredShare(2000)).isCloseTo(1.0, within(1e-9));
        assertThat(w.toMap()).containsEntry("cpu_ms_per_gb", 500.0).containsEntry("bytes", 2_000_000_000L);
    }

    @Test
    void unknownOrNoBytesGiveNoPerGbFigure() {
        WindowFigures unknown = WindowFigures.between(new Mark(0, 0, 0, -1, 0), new Mark(S, 10, 0, 500, 0), 100);
        assertThat(unknown.bytes()).isEqualTo(-1);
        assertThat(unknown.cpuMillisPerGb()).isNaN();
        assertThat(unknown.deliveredMbps()).isNaN();
        assertThat(unknown.cpuMillisPerSecond()).isEqualTo(100.0);
        WindowFigures none = WindowFigures.between(new Mark(0, 0, 0, 0, 0), new Mark(S, 10, 0, 0, 0), 100);
        assertThat(none.cpuMillisPerGb()).isNaN();
        assertThat(none.deliveredShare(1)).isNaN();
    }

    @Test
    void aWindowMustMoveForward() {
        Mark a = new Mark(5 * S, 10, 10, 0, 0);
        assertThatIllegalArgumentException().isThrownBy(() -> WindowFigures.between(a, a, 100));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WindowFigures.between(a, new Mark(6 * S, 9, 10, 0, 0), 100));
    }

    @Test
    void steadyWindowStartsAfterTheSettleAndEndsBeforeTheTail() {
        long[] b = WindowFigures.steadyBounds(100 * S, Duration.ofSeconds(35), Duration.ofSeconds(5),
                Duration.ofSeconds(1));
        assertThat(b).containsExactly(105 * S, 134 * S);
    }

    @Test
    void steadyWindowNeedsAtLeastASecond() {
        assertThatIllegalArgumentException().isThrownBy(() -> WindowFigures.steadyBounds(0, Duration.ofSeconds(6),
                Duration.ofSeconds(5), Duration.ofMillis(500)));
    }
}
