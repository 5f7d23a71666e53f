package dev.aceproxy.testkit.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One engine session: the urls' infohash and key, its single reader, its place on the stream's
 * timeline. Thread-safe.
 */
final class LiveSession {

    private final String infohash;
    private final String key;
    private final String playbackSessionId;
    private final long createdNanos;
    private final AtomicReference<Connection> reader = new AtomicReference<>();
    private final AtomicLong downloaded = new AtomicLong();
    private final AtomicLong lastPassSent = new AtomicLong(-1);
    private volatile long lastActivityNanos;
    private volatile boolean prebuffered;
    private volatile boolean prebuffering;
    private volatile boolean stopped;

    LiveSession(String infohash, String key, String playbackSessionId, long nowNanos) {
        this.infohash = infohash;
        this.key = key;
        this.playbackSessionId = playbackSessionId;
        this.createdNanos = nowNanos;
        this.lastActivityNanos = nowNanos;
    }

    String infohash() {
        return infohash;
    }

    String key() {
        return key;
    }

    String playbackSessionId() {
        return playbackSessionId;
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /** @return whether nobody has read or polled the session for longer than {@code idleNanos} */
    boolean idleLongerThan(long idleNanos, long nowNanos) {
        return reader.get() == null && nowNanos - lastActivityNanos > idleNanos;
    }

    /** @return whether {@code connection} became the session's one reader */
    boolean claimReader(Connection connection) {
        return reader.compareAndSet(null, connection);
    }

    void releaseReader(Connection connection) {
        if (reader.compareAndSet(connection, null)) {
            touch();
        }
    }

    boolean hasReader() {
        return reader.get() != null;
    }

    /**
     * Marks the session stopped and ends its reader's connection.
     */
    void stop() {
        stopped = true;
        Connection current = reader.get();
        if (current != null) {
            current.close();
        }
    }

    boolean isStopped() {
        return stopped;
    }

    /** @return whether the prebuffer delay is still ahead, claiming it for the caller */
    boolean needsPrebuffer() {
        return !prebuffered;
    }

    void prebuffering(boolean on) {
        prebuffering = on;
        if (!on) {
            prebuffered = true;
        }
    }

    boolean isPrebuffering() {
        return prebuffering;
    }

    void addDownloaded(long bytes) {
        downloaded.addAndGet(bytes);
    }

    long downloaded() {
        return downloaded.get();
    }

    /**
     * The pass of the clip a new connection starts at: as far as the session's live clock has
     * gone, and never behind what an earlier connection sent, so timestamps only move forward.
     *
     * @param loopNanos one pass's duration
     * @param nowNanos the current time
     * @return the pass
     */
    long startPass(long loopNanos, long nowNanos) {
        long byClock = Math.ceilDiv(Math.max(0, nowNanos - createdNanos), loopNanos);
        return Math.max(byClock, lastPassSent.get() + 1);
    }

    void passSent(long pass) {
        lastPassSent.accumulateAndGet(pass, Math::max);
    }

    long ageNanos(long nowNanos) {
        return nowNanos - createdNanos;
    }
}
