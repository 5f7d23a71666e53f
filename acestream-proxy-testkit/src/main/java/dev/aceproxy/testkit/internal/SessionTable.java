package dev.aceproxy.testkit.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The engine's sessions, one per infohash. Sessions idle (no reader, no stat poll) for longer than
 * the configured timeout are forgotten lazily, whenever the table is consulted. Thread-safe.
 */
final class SessionTable {

    private final ConcurrentMap<String, LiveSession> byInfohash = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long idleTimeoutNanos;
    private final EngineCounters counters;

    /**
     * @param idleTimeoutNanos how long an unread session lives, 0 for ever
     * @param counters where sessions started, stopped and forgotten are counted
     */
    SessionTable(long idleTimeoutNanos, EngineCounters counters) {
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.counters = counters;
    }

    /** @return the session of this infohash, started now if there is none */
    LiveSession open(String infohash) {
        expireIdle();
        LiveSession session = byInfohash.computeIfAbsent(infohash, ih -> {
            counters.sessionsStarted.incrementAndGet();
            return new LiveSession(ih, randomHex(16), randomHex(20), System.nanoTime());
        });
        session.touch();
        return session;
    }

    /** @return the live session these url parts name, or null */
    LiveSession find(String infohash, String key) {
        expireIdle();
        LiveSession session = byInfohash.get(infohash);
        return session != null && session.key().equals(key) ? session : null;
    }

    /**
     * Removes a session on a stop command.
     *
     * @return whether the session was still in the table
     */
    boolean stop(LiveSession session) {
        boolean removed = byInfohash.remove(session.infohash(), session);
        if (removed) {
            counters.sessionsStopped.incrementAndGet();
        }
        return removed;
    }

    /** Stops and forgets every session, as a restart or shutdown of the engine does. */
    void clear() {
        for (LiveSession session : List.copyOf(byInfohash.values())) {
            forget(session);
        }
    }

    int size() {
        expireIdle();
        return byInfohash.size();
    }

    private void expireIdle() {
        if (idleTimeoutNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        for (LiveSession session : List.copyOf(byInfohash.values())) {
            if (session.idleLongerThan(idleTimeoutNanos, now)) {
                forget(session);
            }
        }
    }

    private void forget(LiveSession session) {
        if (byInfohash.remove(session.infohash(), session)) {
            counters.sessionsForgotten.incrementAndGet();
            session.stop();
        }
    }

    private String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
