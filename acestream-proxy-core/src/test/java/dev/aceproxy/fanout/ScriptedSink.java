package dev.aceproxy.fanout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/** A client for tests: records (or checksums) what it receives, counts closes, can block or fail. */
class ScriptedSink implements ClientSink {

    private final boolean keepBytes;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CRC32 crc = new CRC32();
    private final AtomicInteger closes = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long received;
    private volatile boolean blockForever;
    private volatile long sleepPerWriteMillis;
    private volatile int failOnWrite = -1;
    private volatile RuntimeException failure;
    private volatile int writes;
    private volatile int heapWrites;

    ScriptedSink(boolean keepBytes) {
        this.keepBytes = keepBytes;
    }

    static ScriptedSink recording() {
        return new ScriptedSink(true);
    }

    static ScriptedSink checksumming() {
        return new ScriptedSink(false);
    }

    ScriptedSink blockingForever() {
        blockForever = true;
        return this;
    }

    ScriptedSink sleepingPerWrite(long millis) {
        sleepPerWriteMillis = millis;
        return this;
    }

    ScriptedSink failingOnWrite(int number, RuntimeException unchecked) {
        failOnWrite = number;
        failure = unchecked;
        return this;
    }

    @Override
    public void write(ByteBuffer packets) throws IOException {
        if (closes.get() > 0) {
            throw new IOException("sink closed");
        }
        writes++;
        if (!packets.isDirect()) {
            heapWrites++;
        }
        if (writes == failOnWrite) {
            if (failure != null) {
                throw failure;
            }
            throw new IOException("connection reset");
        }
        if (blockForever) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
            throw new IOException("sink closed while writing");
        }
        if (sleepPerWriteMillis > 0) {
            try {
                Thread.sleep(sleepPerWriteMillis); // the scenario: a slow player
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
        }
        byte[] copy = new byte[packets.remaining()];
        packets.get(copy);
        synchronized (this) {
            if (keepBytes) {
                bytes.writeBytes(copy);
            }
            crc.update(copy);
            received += copy.length;
            notifyAll();
        }
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        closed.countDown();
    }

    synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    synchronized long crc() {
        return crc.getValue();
    }

    long received() {
        return received;
    }

    /** Writes whose bytes were on the Java heap (a socket would copy them once more). */
    int heapWrites() {
        return heapWrites;
    }

    /**
     * Waits until the sink has received at least {@code atLeast} bytes, woken by each write.
     *
     * @return whether it had, within {@code timeout}
     */
    synchronized boolean awaitReceived(long atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received < atLeast) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    int writes() {
        return writes;
    }

    int closes() {
        return closes.get();
    }
}
