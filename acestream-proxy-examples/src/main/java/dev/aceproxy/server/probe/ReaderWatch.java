package dev.aceproxy.server.probe;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps reading a playback on a virtual thread of its own and remembers how much came and how it
 * ended (EOF or a failure, and when), so that a step can ask what another request did to it.
 */
final class ReaderWatch {

    private final WireConnection connection;
    private final InputStream body;
    private final ProbeClock clock;
    private final AtomicLong bytes = new AtomicLong();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile String end;
    private volatile long endedAtMillis = -1;
    private volatile boolean closing;
    private final Thread thread;

    ReaderWatch(WireConnection connection, InputStream body, ProbeClock clock) throws IOException {
        this.connection = connection;
        this.body = body;
        this.clock = clock;
        connection.readTimeout(Duration.ZERO);
        this.thread = Thread.ofVirtual().name("aceproxy-probe-reader").start(this::drain);
    }

    private void drain() {
        byte[] buffer = new byte[64 * 1024];
        try {
            int n;
            while ((n = body.read(buffer)) >= 0) {
                bytes.addAndGet(n);
            }
            finish("eof");
        } catch (IOException e) {
            finish(closing ? "closed by the probe" : "failed: " + e);
        }
    }

    private void finish(String how) {
        endedAtMillis = clock.millis();
        end = how;
        ended.countDown();
    }

    /** Bytes read so far. */
    long bytes() {
        return bytes.get();
    }

    /** Whether the stream has ended (EOF, a failure, or closed). */
    boolean hasEnded() {
        return ended.getCount() == 0;
    }

    /** Waits up to {@code wait} for the stream to end; returns whether it did. */
    boolean awaitEnd(Duration wait) throws InterruptedException {
        return ended.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * What this reader did over {@code window}: bytes that came, and whether and how it ended.
     */
    Map<String, Object> watch(Duration window) throws InterruptedException {
        long before = bytes();
        long from = clock.millis();
        awaitEnd(window);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("watched_from_ms", from);
        out.put("watched_ms", clock.millis() - from);
        out.put("bytes_during", bytes() - before);
        putEnd(out);
        return out;
    }

    /** Adds how the stream ended, if it did, to a report section. */
    void putEnd(Map<String, Object> out) {
        out.put("ended", hasEnded());
        if (hasEnded()) {
            out.put("end", end);
            out.put("ended_at_ms", endedAtMillis);
        }
    }

    /** Closes the connection and waits briefly for the reading thread to end. */
    void close() throws InterruptedException {
        closing = true;
        connection.close();
        thread.join(2000);
    }
}
