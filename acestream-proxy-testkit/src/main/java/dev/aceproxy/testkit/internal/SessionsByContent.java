package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.EngineEvent;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's sessions, one per (content, pid), grouped by the content's one shared download.
 * The same pid asked again gets the same session; a new pid gets a new session (new key, new
 * playback session id) over the same download. A stop of any session of a content cuts the readers
 * of all of them. Sessions idle (no reader, no stat poll, no getstream) for longer than the
 * configured timeout are forgotten lazily, whenever the table is consulted. Thread-safe: the lock
 * guards the structure only; sockets are closed after it is released.
 */
final class SessionsByContent {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ContentDownload> downloads = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long idleTimeoutNanos;
    private final long prebufferNanos;
    private final EngineCounters counters;
    private final EventLog events;

    /**
     * @param idleTimeoutNanos how long an unread session lives, 0 for ever
     * @param prebufferNanos how long a download prebuffers from its first getstream
     * @param counters where sessions started, stopped and forgotten are counted
     * @param events where they are told
     */
    SessionsByContent(long idleTimeoutNanos, long prebufferNanos, EngineCounters counters, EventLog events) {
        this.idleTimeoutNanos = idleTimeoutNanos;
        this.prebufferNanos = prebufferNanos;
        this.counters = counters;
        this.events = events;
    }

    /** @return the session of this content and pid, started now (with the download if need be) if there is none */
    LiveSession open(String infohash, String pid) {
        expireIdle();
        LiveSession session;
        lock.lock();
        try {
            long now = System.nanoTime();
            ContentDownload download = downloads.computeIfAbsent(infohash,
                    ih -> new ContentDownload(ih, now, prebufferNanos));
            session = download.sessions().get(pid);
            if (session == null) {
                session = new LiveSession(download, pid, randomHex(16), randomHex(20), now);
                download.sessions().put(pid, session);
                counters.sessionsStarted.incrementAndGet();
                events.record(EngineEvent.Kind.SESSION_STARTED, session);
            }
        } finally {
            lock.unlock();
        }
        session.touch();
        return session;
    }

    /** @return the live session these url parts name, or null */
    LiveSession find(String infohash, String key) {
        expireIdle();
        ContentDownload download = downloads.get(infohash);
        if (download == null) {
            return null;
        }
        for (LiveSession session : download.sessionList()) {
            if (session.key().equals(key)) {
                return session;
            }
        }
        return null;
    }

    /**
     * Removes a session on a stop command and cuts the reader of every session of its content.
     *
     * @return whether the session was still in the table
     */
    boolean stop(LiveSession session) {
        List<LiveSession> others;
        lock.lock();
        try {
            if (!removeLocked(session)) {
                return false;
            }
            counters.sessionsStopped.incrementAndGet();
            events.record(EngineEvent.Kind.SESSION_STOPPED, session);
            others = session.download().sessionList();
        } finally {
            lock.unlock();
        }
        session.stop();
        others.forEach(LiveSession::cutReader);
        return true;
    }

    /** Stops and forgets every session, as a restart or shutdown of the engine does. */
    void clear() {
        List<LiveSession> all = new ArrayList<>();
        for (ContentDownload download : downloads.values()) {
            all.addAll(download.sessionList());
        }
        all.forEach(this::forget);
    }

    /** @return the number of (content, pid) sessions */
    int size() {
        expireIdle();
        return downloads.values().stream().mapToInt(d -> d.sessions().size()).sum();
    }

    private void expireIdle() {
        if (idleTimeoutNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        for (ContentDownload download : downloads.values()) {
            for (LiveSession session : download.sessionList()) {
                if (session.idleLongerThan(idleTimeoutNanos, now)) {
                    forget(session);
                }
            }
        }
    }

    private void forget(LiveSession session) {
        lock.lock();
        try {
            if (!removeLocked(session)) {
                return;
            }
            counters.sessionsForgotten.incrementAndGet();
            events.record(EngineEvent.Kind.SESSION_FORGOTTEN, session);
        } finally {
            lock.unlock();
        }
        session.stop();
    }

    /** Removes the session, and its download when it was the last session of it. */
    private boolean removeLocked(LiveSession session) {
        ContentDownload download = session.download();
        if (!download.sessions().remove(session.pid(), session)) {
            return false;
        }
        if (download.sessions().isEmpty()) {
            downloads.remove(download.infohash(), download);
        }
        return true;
    }

    private String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
