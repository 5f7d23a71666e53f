package dev.aceproxy.micrometer;

import dev.aceproxy.fanout.ClientSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** A player that keeps every byte it gets (tests stream a bounded amount) and lets a test wait for a count. */
final class CollectingSink implements ClientSink {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public void write(ByteBuffer packets) throws IOException {
        if (closed.get()) {
            throw new IOException("closed");
        }
        byte[] chunk = new byte[packets.remaining()];
        packets.get(chunk);
        synchronized (this) {
            bytes.write(chunk, 0, chunk.length);
            notifyAll();
        }
    }

    @Override
    public void close() {
        closed.set(true);
    }

    /**
     * Waits until the player holds at least {@code count} bytes.
     *
     * @throws AssertionError if that does not happen in time
     */
    synchronized void awaitBytes(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (bytes.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("player got " + bytes.size() + " bytes, not " + count + ", in " + timeout);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized long size() {
        return bytes.size();
    }

    synchronized byte[] received() {
        return bytes.toByteArray();
    }
}
