package dev.aceproxy.testkit.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One engine session: a (content, pid) pair over the content's shared download, with its urls' key,
 * its playback session id, and its single reader. Thread-safe.
 */
final class LiveSession {

    private final ContentDownload download;
    private final String pid;
    private final String key;
    private final String playbackSessionId;
    private final AtomicReference<Connection> reader = new AtomicReference<>();
    private final AtomicLong downloaded = new AtomicLong();
    private volatile long lastActivityNanos;
    private volatile boolean stopped;

    LiveSession(ContentDownload download, String pid, String key, String playbackSessionId, long nowNanos) {
        this.download = download;
        this.pid = pid;
        this.key = key;
        this.playbackSessionId = playbackSessionId;
        this.lastActivityNanos = nowNanos;
    }

    ContentDownload download() {
        return download;
    }

    String infohash() {
        return download.infohash();
    }

    String pid() {
        return pid;
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

    /**
     * Makes {@code connection} the session's reader whatever reader it had, and closes the one it
     * replaces (as {@code stop_prev_read_thread=1} does).
     *
     * @return whether there was a reader to replace
     */
    boolean replaceReader(Connection connection) {
        Connection previous = reader.getAndSet(connection);
        if (previous != null && previous != connection) {
            previous.close();
            return true;
        }
        return false;
    }

    /** @return whether {@code connection} is still the session's reader */
    boolean isReader(Connection connection) {
        return reader.get() == connection;
    }

    void releaseReader(Connection connection) {
        if (reader.compareAndSet(connection, null)) {
            touch();
        }
    }

    boolean hasReader() {
        return reader.get() != null;
    }

    /** Ends the reader's connection (EOF after what was sent); the session stays. */
    void cutReader() {
        Connection current = reader.get();
        if (current != null) {
            current.close();
        }
    }

    /** Marks the session stopped and ends its reader's connection. */
    void stop() {
        stopped = true;
        cutReader();
    }

    boolean isStopped() {
        return stopped;
    }

    void addDownloaded(long bytes) {
        downloaded.addAndGet(bytes);
    }

    long downloaded() {
        return downloaded.get();
    }
}
