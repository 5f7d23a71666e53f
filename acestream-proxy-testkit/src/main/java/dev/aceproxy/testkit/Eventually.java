package dev.aceproxy.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waits, with a bound, until something the test cannot be told about by an event becomes true:
 * a counter reaches a value, a connection count drops to zero, a status changes. The one polling
 * helper of this project's tests (and of anyone's who uses the testkit); prefer the fake engine's
 * event queue ({@link FakeAceEngine#awaitEvent(EngineEvent.Kind, Duration)}) when the engine
 * tells what happened.
 *
 * <p>The condition is checked at once, then every {@link #POLL_INTERVAL} (or the interval given)
 * until it holds or the timeout has passed; it is checked one last time at the deadline. A condition that does not hold
 * in time fails with an {@link AssertionError} that names what was awaited, how long, and the
 * last value seen. An exception thrown by the condition is not retried: it ends the wait at once.
 *
 * <pre>{@code
 * Eventually.within(Duration.ofSeconds(5), "playback connections closed",
 *         () -> engine.openPlaybackConnections() == 0);
 * String status = Eventually.within(Duration.ofSeconds(5), "stat says dl",
 *         () -> statusOf(session), "dl"::equals);
 * }</pre>
 *
 * <p>Not for proving that something did <em>not</em> happen: wait for the event that would have
 * happened, with a bound, and assert that it did not come.
 */
public final class Eventually {

    /** How long the helper parks between two checks of the condition: 10 ms. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private Eventually() {
    }

    /**
     * Reads a value that may throw a checked exception, for {@link #within(Duration, String, Probe,
     * Predicate)}.
     *
     * @param <T> the type of the value read
     * @param <E> the checked exception the read may throw ({@link RuntimeException} when none)
     */
    @FunctionalInterface
    public interface Probe<T, E extends Exception> {

        /**
         * Reads the current value.
         *
         * @return the value now
         * @throws E if the read fails; the wait ends with it
         */
        T get() throws E;
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param timeout how long to wait at most; positive
     * @param what what is awaited, for the failure message (e.g. {@code "playback connection closed"})
     * @param condition checked at once and then every {@link #POLL_INTERVAL}
     * @throws AssertionError if the condition did not hold within {@code timeout}
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static void within(Duration timeout, String what, BooleanSupplier condition)
            throws InterruptedException {
        Objects.requireNonNull(condition, "condition");
        within(timeout, what, condition::getAsBoolean, Boolean.TRUE::equals);
    }

    /**
     * Reads a value until {@code accepted} holds for it, and returns that value.
     *
     * @param <T> the type of the value
     * @param <E> the checked exception a read may throw
     * @param timeout how long to wait at most; positive
     * @param what what is awaited, for the failure message (e.g. {@code "stat status dl"})
     * @param probe reads the value, at once and then every {@link #POLL_INTERVAL}
     * @param accepted says whether a value is the one awaited
     * @return the first value read that {@code accepted} holds for
     * @throws AssertionError if no value read within {@code timeout} was accepted; its message
     *     holds the last value read
     * @throws E if a read fails
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static <T, E extends Exception> T within(Duration timeout, String what, Probe<? extends T, E> probe,
            Predicate<? super T> accepted) throws E, InterruptedException {
        return within(timeout, POLL_INTERVAL, what, probe, accepted);
    }

    /**
     * Reads a value every {@code pollInterval} until {@code accepted} holds for it, and returns that
     * value: for a read that costs something (an HTTP request, a thread dump), or that stands for a
     * client which asks at its own pace (a player refreshing its playlist).
     *
     * @param <T> the type of the value
     * @param <E> the checked exception a read may throw
     * @param timeout how long to wait at most; positive
     * @param pollInterval how long to park between two reads; positive
     * @param what what is awaited, for the failure message
     * @param probe reads the value, at once and then every {@code pollInterval}
     * @param accepted says whether a value is the one awaited
     * @return the first value read that {@code accepted} holds for
     * @throws AssertionError if no value read within {@code timeout} was accepted; its message
     *     holds the last value read
     * @throws E if a read fails
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} or {@code pollInterval} is not positive
     */
    public static <T, E extends Exception> T within(Duration timeout, Duration pollInterval, String what,
            Probe<? extends T, E> probe, Predicate<? super T> accepted) throws E, InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(accepted, "accepted");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T seen = probe.get();
            if (accepted.test(seen)) {
                return seen;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + timeout + " for " + what + "; last seen: " + seen);
            }
            long nextRead = System.nanoTime() + Math.min(left, pollInterval.toNanos());
            for (long park = nextRead - System.nanoTime(); park > 0; park = nextRead - System.nanoTime()) {
                LockSupport.parkNanos(park); // may return early: park again until the read is due
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while waiting for " + what);
                }
            }
        }
    }
}
