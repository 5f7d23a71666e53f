package dev.aceproxy.testkit.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's one download of a content, shared by every (content, pid) session of it: the live
 * clock every reader's position comes from, and the prebuffering that starts with the first
 * getstream. Lives while it has sessions. Thread-safe.
 */
final class ContentDownload {

    private final String infohash;
    private final long startedNanos;
    private final long prebufferedNanos;
    private final AtomicLong lastPassSent = new AtomicLong(-1);
    /** Sessions by pid; changed only under the session table's lock. */
    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();

    /**
     * @param infohash the content
     * @param startedNanos when the getstream that started the download came
     * @param prebufferNanos how long prebuffering lasts from then
     */
    ContentDownload(String infohash, long startedNanos, long prebufferNanos) {
        this.infohash = infohash;
        this.startedNanos = startedNanos;
        this.prebufferedNanos = startedNanos + prebufferNanos;
    }

    String infohash() {
        return infohash;
    }

    Map<String, LiveSession> sessions() {
        return sessions;
    }

    List<LiveSession> sessionList() {
        return List.copyOf(sessions.values());
    }

    /** @return whether prebuffering is still going on at {@code nowNanos} */
    boolean isPrebuffering(long nowNanos) {
        return nowNanos - prebufferedNanos < 0;
    }

    /** @return nanoseconds from {@code nowNanos} until prebuffering is over, 0 if it is */
    long nanosUntilPrebuffered(long nowNanos) {
        return Math.max(0, prebufferedNanos - nowNanos);
    }

    /**
     * The pass of the clip a new connection starts at: as far as the download's live clock has
     * gone, and never behind what an earlier connection of any of its sessions sent, so timestamps
     * only move forward.
     *
     * @param loopNanos one pass's duration
     * @param nowNanos the current time
     * @return the pass
     */
    long startPass(long loopNanos, long nowNanos) {
        long byClock = Math.ceilDiv(Math.max(0, nowNanos - startedNanos), loopNanos);
        return Math.max(byClock, lastPassSent.get() + 1);
    }

    void passSent(long pass) {
        lastPassSent.accumulateAndGet(pass, Math::max);
    }

    long ageNanos(long nowNanos) {
        return nowNanos - startedNanos;
    }
}
