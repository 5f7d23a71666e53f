package dev.aceproxy.fanout.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * The virtual thread ({@code aceproxy-fanout-flusher-<n>}) that hands out what the gatherer holds
 * once its oldest byte has waited long enough. Started on the first held chunk, woken whenever
 * the gatherer goes from empty to holding, and parked otherwise.
 */
final class HeldChunkFlusher {

    /** What the flusher drives: the fan-out. */
    interface Target {

        /** Returned by {@link #flushIfDue()} when the fan-out is closing: the flusher ends. */
        long CLOSED = Long.MIN_VALUE;
        /** Returned by {@link #flushIfDue()} when nothing is held: the flusher parks until woken. */
        long NOTHING_HELD = -1;

        /**
         * Hands out the held bytes if they are due.
         *
         * @return nanoseconds until the held bytes are due (0 after handing them out),
         *         {@link #NOTHING_HELD} or {@link #CLOSED}
         */
        long flushIfDue();
    }

    private final String name;
    private final Target target;
    private volatile Thread thread;

    HeldChunkFlusher(String name, Target target) {
        this.name = name;
        this.target = target;
    }

    /** Wakes the flusher, starting it the first time. Fan-out lock held when {@code start}. */
    void wake(boolean mayStart) {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        } else if (mayStart) {
            thread = Thread.ofVirtual().name(name).uncaughtExceptionHandler(FanOut::uncaught).start(this::run);
        }
    }

    boolean started() {
        return thread != null;
    }

    /** Interrupts the flusher; it ends at once. */
    Thread stop() {
        Thread current = thread;
        if (current != null) {
            current.interrupt();
        }
        return current;
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            long waitNanos = target.flushIfDue();
            if (waitNanos == Target.CLOSED) {
                return;
            }
            if (waitNanos == Target.NOTHING_HELD) {
                LockSupport.park(this);
            } else if (waitNanos > 0) {
                LockSupport.parkNanos(this, waitNanos);
            }
        }
    }
}
