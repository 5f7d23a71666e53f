package dev.aceproxy.jetty.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down guessing the token: each address may fail {@value #FREE_FAILURES} times within
 * {@link #WINDOW} at full speed; after that each further 401 waits longer before it is sent,
 * doubling from {@link #FIRST_DELAY} up to {@link #MAX_DELAY}. An address that already has
 * {@value #MAX_WAITING} answers waiting is refused at once with 429, so that guessing cannot pin
 * connections either. A right token forgets the address's failures. At most
 * {@value #MAX_ADDRESSES} addresses are remembered; when the table is full and no entry has
 * expired, a new address is not slowed down (the table cannot be grown by spraying addresses).
 * Thread-safe: every method takes the instance's lock briefly and never sleeps under it.
 */
public final class AuthFailureThrottle {

    /** Failures per window that are answered at once. */
    public static final int FREE_FAILURES = 5;
    /** How long a failure is remembered, counted from the address's first failure. */
    public static final Duration WINDOW = Duration.ofMinutes(1);
    /** The wait after the first failure beyond the free ones. */
    public static final Duration FIRST_DELAY = Duration.ofMillis(250);
    /** The longest wait before a 401. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(4);
    /** Answers that may wait at once for one address; beyond it the answer is an immediate 429. */
    public static final int MAX_WAITING = 4;
    /** Addresses remembered at most. */
    public static final int MAX_ADDRESSES = 4096;

    /** What to do with a failed attempt. */
    public sealed interface Verdict {
    }

    /**
     * Answer 401 after waiting; call {@link AuthFailureThrottle#waited(String)} once the wait is
     * over.
     *
     * @param delay how long to wait first (zero for a free failure)
     */
    public record Wait(Duration delay) implements Verdict {
    }

    /**
     * Answer 429 at once: too many answers for this address are already waiting.
     *
     * @param retryAfter when to come back
     */
    public record Refuse(Duration retryAfter) implements Verdict {
    }

    private static final class Entry {
        final long firstFailureNanos;
        int failures;
        int waiting;

        Entry(long firstFailureNanos) {
            this.firstFailureNanos = firstFailureNanos;
        }
    }

    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new HashMap<>();

    /** Creates a throttle on the system's monotonic clock. */
    public AuthFailureThrottle() {
        this(System::nanoTime);
    }

    /**
     * Creates a throttle on the given clock.
     *
     * @param nanoTime a monotonic clock in nanoseconds
     */
    public AuthFailureThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Records a failed attempt from an address and says how to answer it.
     *
     * @param address the client's address
     * @return the verdict; a {@link Wait} must be followed by {@link #waited(String)}
     */
    public synchronized Verdict failed(String address) {
        long now = nanoTime.getAsLong();
        Entry entry = entries.get(address);
        if (entry != null && now - entry.firstFailureNanos >= WINDOW.toNanos() && entry.waiting == 0) {
            entries.remove(address);
            entry = null;
        }
        if (entry == null) {
            if (entries.size() >= MAX_ADDRESSES && !evictExpired(now)) {
                return new Wait(Duration.ZERO);
            }
            entry = new Entry(now);
            entries.put(address, entry);
        }
        entry.failures++;
        if (entry.failures <= FREE_FAILURES) {
            entry.waiting++;
            return new Wait(Duration.ZERO);
        }
        if (entry.waiting >= MAX_WAITING) {
            return new Refuse(MAX_DELAY);
        }
        entry.waiting++;
        return new Wait(delayAfter(entry.failures - FREE_FAILURES));
    }

    /**
     * Says that a waiting answer for an address has been sent.
     *
     * @param address the client's address
     */
    public synchronized void waited(String address) {
        Entry entry = entries.get(address);
        if (entry != null && entry.waiting > 0) {
            entry.waiting--;
        }
    }

    /**
     * Forgets an address's failures after it presented the right token.
     *
     * @param address the client's address
     */
    public synchronized void succeeded(String address) {
        Entry entry = entries.get(address);
        if (entry != null && entry.waiting == 0) {
            entries.remove(address);
        } else if (entry != null) {
            entry.failures = 0;
        }
    }

    /**
     * Returns how many addresses are remembered.
     *
     * @return the count
     */
    public synchronized int addresses() {
        return entries.size();
    }

    /**
     * The wait before the n-th slowed answer: {@link #FIRST_DELAY} doubled n - 1 times, at most
     * {@link #MAX_DELAY}.
     *
     * @param n 1 for the first failure beyond the free ones
     * @return the wait
     */
    static Duration delayAfter(int n) {
        long millis = FIRST_DELAY.toMillis() << Math.min(n - 1, 16);
        return Duration.ofMillis(Math.min(millis, MAX_DELAY.toMillis()));
    }

    private boolean evictExpired(long now) {
        boolean any = false;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.firstFailureNanos >= WINDOW.toNanos() && e.waiting == 0) {
                it.remove();
                any = true;
            }
        }
        return any;
    }
}
