package dev.aceproxy.registry.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Counts the new sessions each client address started within the last minute, so that one
 * address cannot make the engine join swarm after swarm. At most {@value #MAX_ADDRESSES}
 * addresses are remembered; when the table is full and nothing in it has aged out, a new address
 * is let through uncounted (the table cannot be grown by spraying addresses). Not thread-safe:
 * the session table calls it with its lock held.
 */
final class NewSessionRate {

    static final long WINDOW_NANOS = 60_000_000_000L;
    static final int MAX_ADDRESSES = 4096;

    private final Map<String, ArrayDeque<Long>> starts = new HashMap<>();

    /**
     * Counts a new session for the address if it is under the bound.
     *
     * @param address the client's address
     * @param nowNanos the current {@link System#nanoTime()}
     * @param maxPerMinute the bound, at least 1
     * @return true if the session may start (and is counted)
     */
    boolean tryStart(String address, long nowNanos, int maxPerMinute) {
        ArrayDeque<Long> times = starts.get(address);
        if (times == null) {
            if (starts.size() >= MAX_ADDRESSES && !forgetAged(nowNanos)) {
                return true;
            }
            times = new ArrayDeque<>();
            starts.put(address, times);
        }
        while (!times.isEmpty() && nowNanos - times.peekFirst() >= WINDOW_NANOS) {
            times.pollFirst();
        }
        if (times.size() >= maxPerMinute) {
            return false;
        }
        times.addLast(nowNanos);
        return true;
    }

    int addresses() {
        return starts.size();
    }

    private boolean forgetAged(long nowNanos) {
        boolean any = false;
        for (Iterator<ArrayDeque<Long>> it = starts.values().iterator(); it.hasNext(); ) {
            ArrayDeque<Long> times = it.next();
            if (times.isEmpty() || nowNanos - times.peekLast() >= WINDOW_NANOS) {
                it.remove();
                any = true;
            }
        }
        return any;
    }
}
