package dev.aceproxy.bench.micro;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts bytes handed to every sink, and lets the benchmark thread sleep (not spin: on two cores a
 * spinning waiter would steal a core from the writers it waits for) until a total is reached.
 * The cost it adds per sink write is one atomic add.
 */
final class Delivery {

    private final AtomicLong delivered = new AtomicLong();
    private volatile long target = Long.MAX_VALUE;
    private volatile Thread waiter;

    void delivered(long bytes) {
        if (delivered.addAndGet(bytes) >= target) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /** {@return bytes delivered so far} */
    long total() {
        return delivered.get();
    }

    /** Parks until at least {@code total} bytes have been delivered in all. */
    void awaitTotal(long total) {
        waiter = Thread.currentThread();
        target = total;
        while (delivered.get() < total) {
            LockSupport.park(this);
        }
        target = Long.MAX_VALUE;
    }
}
