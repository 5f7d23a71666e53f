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

    /** @param idleTimeoutNanos how long an unread session lives, 0 for ever */
    SessionTable(long idleTimeoutNanos) {
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    /** @return the session of this infohash, started now if there is none */
    LiveSession open(String infohash) {
        expireIdle();
        LiveSession session = byInfohash.computeIfAbsent(infohash,
                ih -> new LiveSession(ih, randomHex(16), randomHex(20), System.nanoTime()));
        session.touch();
        return session;
    }

    /** @return the live session these url parts name, or null */
    LiveSession find(String infohash, String key) {
        expireIdle();
        LiveSession session = byInfohash.get(infohash);
        return session != null && session.key().equals(key) ? session : null;
    }

    /** @return whether the session was still in the table */
    boolean remove(LiveSession session) {
        return byInfohash.remove(session.infohash(), session);
    }

    /** Stops and forgets every session. */
    void clear() {
        for (LiveSession session : List.copyOf(byInfohash.values())) {
            if (remove(session)) {
                session.stop();
            }
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
            if (session.idleLongerThan(idleTimeoutNanos, now) && remove(session)) {
                session.stop();
            }
        }
    }

    private String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
