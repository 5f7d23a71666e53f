package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.EngineEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The engine's event queue: bounded, and when full the oldest event is dropped to make room (so an
 * engine whose events nobody takes uses bounded memory). Recording never blocks on a reader.
 * Thread-safe; the lock is never held across I/O.
 */
public final class EventLog {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final ArrayDeque<EngineEvent> queue = new ArrayDeque<>();
    private long dropped;

    /**
     * @param capacity the most events kept, at least 1
     */
    public EventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
    }

    void record(EngineEvent.Kind kind, String infohash, String pid, String key) {
        EngineEvent event = new EngineEvent(kind, System.nanoTime(), infohash, pid, key);
        lock.lock();
        try {
            if (queue.size() == capacity) {
                queue.pollFirst();
                dropped++;
            }
            queue.addLast(event);
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void record(EngineEvent.Kind kind, LiveSession session) {
        record(kind, session.infohash(), session.pid(), session.key());
    }

    /**
     * Takes the oldest event, waiting up to {@code timeout} for one.
     *
     * @param timeout how long to wait
     * @return the event, or null if none came in time
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public EngineEvent take(Duration timeout) throws InterruptedException {
        return await(event -> true, timeout);
    }

    /**
     * Takes events, oldest first, until one matches, waiting up to {@code timeout} in all; events
     * that do not match are dropped.
     *
     * @param match what to wait for
     * @param timeout how long to wait in all
     * @return the first matching event, or null if none came in time
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public EngineEvent await(Predicate<? super EngineEvent> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            EngineEvent event;
            lock.lock();
            try {
                while (queue.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    added.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                }
                event = queue.pollFirst();
            } finally {
                lock.unlock();
            }
            // the predicate is the caller's code: run it outside the lock
            if (match.test(event)) {
                return event;
            }
        }
    }

    /** @return events dropped because the queue was full */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Drops every queued event. */
    public void clear() {
        lock.lock();
        try {
            queue.clear();
        } finally {
            lock.unlock();
        }
    }
}
