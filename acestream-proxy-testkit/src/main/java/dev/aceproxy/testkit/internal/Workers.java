package dev.aceproxy.testkit.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Owner of every thread the fake engine starts: named virtual threads, tracked until they end, and
 * interrupted and joined on shutdown. Thread-safe.
 */
public final class Workers {

    /** Prefix of every thread name, so tests can find leaked threads. */
    public static final String THREAD_NAME_PREFIX = "aceproxy-testkit-";

    private static final System.Logger LOG = System.getLogger(Workers.class.getName());

    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean shutdown;

    /**
     * Starts a virtual thread named {@code aceproxy-testkit-<role>-<n>}.
     *
     * @param role what the thread does, part of its name
     * @param task the work
     * @return the started thread
     * @throws RejectedExecutionException if {@link #shutdown(Duration)} has begun
     */
    public Thread start(String role, Runnable task) {
        Thread thread = Thread.ofVirtual()
                .name(THREAD_NAME_PREFIX + role + "-" + sequence.incrementAndGet())
                .uncaughtExceptionHandler((t, e) -> LOG.log(System.Logger.Level.WARNING, t.getName() + " failed", e))
                .unstarted(() -> {
                    try {
                        task.run();
                    } finally {
                        live.remove(Thread.currentThread());
                    }
                });
        live.add(thread);
        if (shutdown) {
            live.remove(thread);
            throw new RejectedExecutionException("the fake engine is closed");
        }
        thread.start();
        return thread;
    }

    /** @return the number of threads started and not yet ended */
    public int count() {
        return live.size();
    }

    /**
     * Refuses new threads, interrupts every live one and waits for them to end.
     *
     * @param grace how long to wait in total
     * @return whether every thread ended in time
     */
    public boolean shutdown(Duration grace) {
        shutdown = true;
        long deadline = System.nanoTime() + grace.toNanos();
        boolean interrupted = false;
        try {
            while (!live.isEmpty()) {
                for (Thread thread : live) {
                    thread.interrupt();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                for (Thread thread : live) {
                    try {
                        thread.join(Duration.ofNanos(Math.max(1, Math.min(left, 50_000_000L))));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
