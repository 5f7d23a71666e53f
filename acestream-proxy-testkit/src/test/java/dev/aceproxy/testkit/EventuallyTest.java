package dev.aceproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EventuallyTest {

    @Test
    void returnsOnceTheConditionHolds() throws InterruptedException {
        AtomicInteger checks = new AtomicInteger();

        Eventually.within(Duration.ofSeconds(5), "the third check", () -> checks.incrementAndGet() == 3);

        assertThat(checks).hasValue(3);
    }

    @Test
    void returnsTheFirstAcceptedValue() throws InterruptedException {
        AtomicInteger reads = new AtomicInteger();

        int value = Eventually.within(Duration.ofSeconds(5), "a value of at least 4", reads::incrementAndGet,
                v -> v >= 4);

        assertThat(value).isEqualTo(4);
    }

    @Test
    void failsNamingWhatWasAwaitedAndTheLastValueSeen() {
        assertThatThrownBy(() -> Eventually.within(Duration.ofMillis(50), "the answer", () -> 41, v -> v == 42))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the answer")
                .hasMessageContaining("last seen: 41")
                .hasMessageContaining("PT0.05S");
    }

    @Test
    void aConditionThatNeverHoldsFailsAfterTheTimeout() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> Eventually.within(Duration.ofMillis(100), "never", () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("never");

        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void aFailingReadEndsTheWaitAtOnce() {
        AtomicInteger reads = new AtomicInteger();

        assertThatThrownBy(() -> Eventually.within(Duration.ofSeconds(5), "a read", () -> {
            reads.incrementAndGet();
            throw new IOException("broken");
        }, v -> true)).isInstanceOf(IOException.class).hasMessage("broken");

        assertThat(reads).hasValue(1);
    }

    @Test
    void anInterruptEndsTheWait() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> Eventually.within(Duration.ofSeconds(5), "never", () -> false))
                .isInstanceOf(InterruptedException.class)
                .hasMessageContaining("never");
    }

    @Test
    void readsAtTheGivenInterval() throws InterruptedException {
        AtomicInteger reads = new AtomicInteger();
        long start = System.nanoTime();

        Eventually.within(Duration.ofSeconds(5), Duration.ofMillis(50), "the third read", reads::incrementAndGet,
                v -> v == 3);

        assertThat(System.nanoTime() - start).as("two intervals between three reads")
                .isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void refusesATimeoutOrIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> Eventually.within(Duration.ZERO, "x", () -> true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Eventually.within(Duration.ofSeconds(1), Duration.ZERO, "x", () -> 1, v -> true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
