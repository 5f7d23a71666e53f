package dev.aceproxy.fanout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A client for tests: records (or checksums) what it receives, counts closes, can block or fail.
 * {@link #writingThrough} makes it offer {@link #tryWrite}, taking a random part of each chunk as
 * a socket with little room would; it counts any call made while another was in progress.
 */
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
    private java.util.Random takes;
    private ByteBuffer kept;
    private byte[] keptAtClose = new byte[0];
    private volatile int wholePercent = 70;
    private volatile int tryWrites;
    private volatile int tryWritesWhole;
    private final java.util.concurrent.atomic.AtomicBoolean inCall = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicInteger overlappingCalls = new AtomicInteger();

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

    /**
     * Offers {@link #tryWrite}: each takes all of a chunk, part of it or none, at random from
     * {@code seed}, and the rest waits for the next write or flush.
     */
    ScriptedSink writingThrough(long seed) {
        takes = new java.util.Random(seed);
        return this;
    }

    /** Offers {@link #tryWrite}, and takes every chunk whole: a socket with room to spare. */
    ScriptedSink writingThroughWhole() {
        wholePercent = 100;
        return writingThrough(0);
    }

    @Override
    public boolean writesWithoutBlocking() {
        return takes != null;
    }

    @Override
    public boolean tryWrite(ByteBuffer packets) throws IOException {
        enterCall();
        try {
            if (takes == null) {
                throw new UnsupportedOperationException();
            }
            if (closes.get() > 0) {
                throw new IOException("sink closed");
            }
            if (kept != null) {
                throw new IllegalStateException("tryWrite with a kept rest");
            }
            tryWrites++;
            if (!packets.isDirect()) {
                heapWrites++;
            }
            // One caller at a time (overlaps are counted above), so the generator needs no lock.
            int roll = takes.nextInt(100);
            int length = packets.remaining();
            int take = roll < wholePercent ? length : roll < 90 ? takes.nextInt(length + 1) : 0;
            ByteBuffer taken = packets.duplicate();
            taken.limit(taken.position() + take);
            record(taken);
            packets.position(packets.position() + take);
            if (!packets.hasRemaining()) {
                tryWritesWhole++;
                return true;
            }
            synchronized (this) {
                kept = packets;
            }
            return false;
        } finally {
            inCall.set(false);
        }
    }

    @Override
    public void flush() throws IOException {
        enterCall();
        try {
            ByteBuffer rest;
            synchronized (this) {
                rest = kept;
                kept = null;
            }
            if (rest != null) {
                writeNow(rest);
            }
        } finally {
            inCall.set(false);
        }
    }

    private void enterCall() {
        if (!inCall.compareAndSet(false, true)) {
            overlappingCalls.incrementAndGet();
        }
    }

    ScriptedSink failingOnWrite(int number, RuntimeException unchecked) {
        failOnWrite = number;
        failure = unchecked;
        return this;
    }

    @Override
    public void write(ByteBuffer packets) throws IOException {
        enterCall();
        try {
            if (kept != null) {
                throw new IllegalStateException("write with a kept rest");
            }
            writeNow(packets);
        } finally {
            inCall.set(false);
        }
    }

    private void writeNow(ByteBuffer packets) throws IOException {
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
        record(packets);
    }

    private void record(ByteBuffer packets) {
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
        synchronized (this) {
            if (closes.get() == 0 && kept != null) {
                keptAtClose = new byte[kept.remaining()];
                kept.duplicate().get(keptAtClose);
            }
        }
        closes.incrementAndGet();
        closed.countDown();
    }

    synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    /**
     * The bytes received, then what a {@link #tryWrite} had kept when the sink was closed: what the
     * fan-out handed this client, for a client closed in the middle of a chunk.
     */
    synchronized byte[] bytesWithKeptRest() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(bytes.toByteArray());
        all.writeBytes(keptAtClose);
        return all.toByteArray();
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

    /** Calls to {@link #tryWrite}, and those that took the whole chunk. */
    int tryWrites() {
        return tryWrites;
    }

    int tryWritesWhole() {
        return tryWritesWhole;
    }

    /** Calls to write, flush or tryWrite made while another was in progress: must stay 0. */
    int overlappingCalls() {
        return overlappingCalls.get();
    }

    int closes() {
        return closes.get();
    }
}
