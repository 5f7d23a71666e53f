package dev.aceproxy.fanout.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The virtual thread ({@code aceproxy-fanout-watchdog-<n>}) that looks for players whose single
 * write or flush blocks: every quarter of the shortest stall timeout among the players (between
 * 5 ms and 1 s), it asks the fan-out to check them. What happens to a stalled player is
 * {@link SlowPlayer#onStall}'s decision.
 */
final class StallWatchdog {

    /** What the watchdog drives: the fan-out. */
    interface Target {

        /**
         * Checks every player for a stalled write.
         *
         * @return {@code false} once the fan-out is closing: the watchdog ends
         */
        boolean checkStalls();
    }

    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final Target target;
    private volatile long tickNanos = MAX_TICK_NANOS;
    private Thread thread;

    StallWatchdog(String name, Target target) {
        this.name = name;
        this.target = target;
    }

    /** Makes sure the watchdog runs often enough for {@code stallTimeout}. Fan-out lock held. */
    void cover(Duration stallTimeout) {
        long tick = Math.clamp(stallTimeout.toNanos() / 4, MIN_TICK_NANOS, MAX_TICK_NANOS);
        if (tick < tickNanos) {
            tickNanos = tick;
        }
        if (thread == null) {
            thread = Thread.ofVirtual().name(name).uncaughtExceptionHandler(FanOut::uncaught).start(this::run);
        }
    }

    /** Interrupts the watchdog; it ends at once. Fan-out lock held. */
    Thread stop() {
        Thread current = thread;
        if (current != null) {
            current.interrupt();
        }
        return current;
    }

    private void run() {
        while (true) {
            try {
                TimeUnit.NANOSECONDS.sleep(tickNanos);
            } catch (InterruptedException e) {
                return;
            }
            if (!target.checkStalls()) {
                return;
            }
        }
    }
}
