package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.GetstreamFault;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The faults a test has scripted, and the waits they impose on request threads (a getstream that
 * never answers, a hung stop, a stalled playback). Every wait ends when its fault is cleared or the
 * engine closes. Thread-safe; no lock is held across socket I/O.
 */
public final class FaultScript {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<String> unavailable = ConcurrentHashMap.newKeySet();

    private GetstreamFault getstreamFault;
    /** Calls the current getstream fault still applies to; negative means every call. */
    private int getstreamFaultRemaining;
    private long stallUntilNanos;
    private boolean stalled;
    private long endAfterBytes = -1;
    private boolean hangStop;
    private boolean garbageStat;
    private int emptyPlaybacks;
    private int startTimeouts;
    /** Bumped by {@link #clearAll()}, which releases requests held by {@code noAnswer}. */
    private long clearGeneration;
    private boolean closed;
    private long versionDelayNanos;

    /**
     * Applies a getstream fault to the next {@code times} calls, or to every call when negative.
     *
     * @param fault the fault
     * @param times how many calls, negative for all
     */
    public void getstreamFault(GetstreamFault fault, int times) {
        update(() -> {
            getstreamFault = fault;
            getstreamFaultRemaining = times;
        });
    }

    /** @return the fault for this getstream call, consuming one use of a counted fault */
    Optional<GetstreamFault> takeGetstreamFault() {
        lock.lock();
        try {
            GetstreamFault fault = getstreamFault;
            if (fault == null) {
                return Optional.empty();
            }
            if (getstreamFaultRemaining > 0 && --getstreamFaultRemaining == 0) {
                getstreamFault = null;
            }
            return Optional.of(fault);
        } finally {
            lock.unlock();
        }
    }

    /** @param contentHex a content id or infohash whose getstream answers "failed to load content" */
    public void markUnavailable(String contentHex) {
        unavailable.add(contentHex.toLowerCase(Locale.ROOT));
    }

    boolean isUnavailable(String contentHex) {
        return unavailable.contains(contentHex.toLowerCase(Locale.ROOT));
    }

    /** @param duration how long playbacks send nothing from now; zero or negative ends a stall */
    public void stallPlaybacks(Duration duration) {
        update(() -> {
            stalled = duration.isPositive();
            stallUntilNanos = System.nanoTime() + (stalled ? duration.toNanos() : 0);
        });
    }

    /** @param bytes where each playback connection ends cleanly, or -1 for never */
    public void endPlaybacksAfter(long bytes) {
        update(() -> endAfterBytes = bytes);
    }

    long endPlaybacksAfter() {
        lock.lock();
        try {
            return endAfterBytes;
        } finally {
            lock.unlock();
        }
    }

    /** @param hang whether stop commands are held without an answer */
    public void hangStop(boolean hang) {
        update(() -> hangStop = hang);
    }

    /** @param delay how long get_version waits before it answers; zero for at once */
    public void versionDelay(java.time.Duration delay) {
        update(() -> versionDelayNanos = delay.toNanos());
    }

    long versionDelayNanos() {
        lock.lock();
        try {
            return versionDelayNanos;
        } finally {
            lock.unlock();
        }
    }

    /** @param garbage whether stat answers a body that is not JSON */
    public void statFault(boolean garbage) {
        update(() -> garbageStat = garbage);
    }

    boolean garbageStat() {
        lock.lock();
        try {
            return garbageStat;
        } finally {
            lock.unlock();
        }
    }

    /** @param count how many next playback opens answer 200 and end at once */
    public void warmUpEmptyPlaybacks(int count) {
        update(() -> emptyPlaybacks = count);
    }

    boolean takeEmptyPlayback() {
        return takeOne(true);
    }

    /** @param count how many next playback opens answer 500 "start timeout" */
    public void failPlaybackStarts(int count) {
        update(() -> startTimeouts = count);
    }

    boolean takeStartTimeout() {
        return takeOne(false);
    }

    private boolean takeOne(boolean empty) {
        lock.lock();
        try {
            if (empty && emptyPlaybacks > 0) {
                emptyPlaybacks--;
                return true;
            }
            if (!empty && startTimeouts > 0) {
                startTimeouts--;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Clears every fault and releases every held request. */
    public void clearAll() {
        unavailable.clear();
        update(() -> {
            getstreamFault = null;
            stalled = false;
            endAfterBytes = -1;
            hangStop = false;
            garbageStat = false;
            versionDelayNanos = 0;
            emptyPlaybacks = 0;
            startTimeouts = 0;
            clearGeneration++;
        });
    }

    /** Releases every held request for good: the engine is closing. */
    void close() {
        update(() -> closed = true);
    }

    /**
     * Holds a request that gets no answer until the faults are cleared or the engine closes.
     *
     * @throws InterruptedException if the thread is interrupted
     */
    void holdUntilCleared() throws InterruptedException {
        lock.lock();
        try {
            long generation = clearGeneration;
            while (!closed && clearGeneration == generation) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holds a stop command while stops hang.
     *
     * @return whether the command was held, in which case it must get no answer
     * @throws InterruptedException if the thread is interrupted
     */
    boolean holdStop() throws InterruptedException {
        lock.lock();
        try {
            boolean held = false;
            while (!closed && hangStop) {
                held = true;
                changed.await();
            }
            return held || closed;
        } finally {
            lock.unlock();
        }
    }

    /** @return whether a stall is in force now (the engine is buffering) */
    boolean isStalled() {
        lock.lock();
        try {
            return !closed && stalled && stallUntilNanos - System.nanoTime() > 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holds a playback while a stall lasts.
     *
     * @return whether it was held
     * @throws InterruptedException if the thread is interrupted
     */
    boolean holdWhileStalled() throws InterruptedException {
        lock.lock();
        try {
            boolean held = false;
            while (!closed && stalled) {
                long left = stallUntilNanos - System.nanoTime();
                if (left <= 0) {
                    stalled = false;
                    break;
                }
                held = true;
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            return held;
        } finally {
            lock.unlock();
        }
    }

    private void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
