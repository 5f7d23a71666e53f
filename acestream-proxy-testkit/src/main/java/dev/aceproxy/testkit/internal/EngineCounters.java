package dev.aceproxy.testkit.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What the fake engine has been asked and has sent, for test assertions. Thread-safe. */
public final class EngineCounters {

    final AtomicInteger getstreamCalls = new AtomicInteger();
    final AtomicInteger playbackOpens = new AtomicInteger();
    final AtomicInteger secondReaderAttempts = new AtomicInteger();
    final AtomicInteger stopCalls = new AtomicInteger();
    final AtomicInteger statCalls = new AtomicInteger();
    final AtomicInteger versionCalls = new AtomicInteger();
    final AtomicInteger statusCalls = new AtomicInteger();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicInteger sessionsStarted = new AtomicInteger();
    final AtomicInteger sessionsStopped = new AtomicInteger();
    final AtomicInteger sessionsForgotten = new AtomicInteger();
    final AtomicInteger readerReplacements = new AtomicInteger();

    /** @return getstream requests received, answered or not */
    public int getstreamCalls() {
        return getstreamCalls.get();
    }

    /** @return requests that reached the stream of a live session, second readers and warm-up answers included */
    public int playbackOpens() {
        return playbackOpens.get();
    }

    /** @return playback requests refused because the session already had a reader */
    public int secondReaderAttempts() {
        return secondReaderAttempts.get();
    }

    /** @return stop commands received, answered or not */
    public int stopCalls() {
        return stopCalls.get();
    }

    /** @return stat requests received */
    public int statCalls() {
        return statCalls.get();
    }

    /** @return get_version requests received */
    public int versionCalls() {
        return versionCalls.get();
    }

    /** @return get_status requests received */
    public int statusCalls() {
        return statusCalls.get();
    }

    /** @return MPEG-TS bytes written to playback connections */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** @return engine sessions started by getstream */
    public int sessionsStarted() {
        return sessionsStarted.get();
    }

    /** @return engine sessions ended by a stop command */
    public int sessionsStopped() {
        return sessionsStopped.get();
    }

    /** @return engine sessions the engine forgot by itself: idle expiry, restart, shutdown */
    public int sessionsForgotten() {
        return sessionsForgotten.get();
    }

    /** @return playback requests with {@code stop_prev_read_thread=1} that cut a reader and took its place */
    public int readerReplacements() {
        return readerReplacements.get();
    }
}
