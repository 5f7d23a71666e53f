package dev.aceproxy.registry;

import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.testkit.oracle.StreamCheck;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import dev.aceproxy.ts.TsPackets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A client sink that records every packet it receives: its bytes (for the oracle), its PID, whether
 * it started with the sync byte, and when it arrived. Thread-safe for one writer thread plus readers.
 */
final class PacketRecorder implements ClientSink {

    /** The bytes a sink keeps for the oracle by default: more than any registry test streams. */
    static final int DEFAULT_KEPT_BYTES = 16 * 1024 * 1024;

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final int keptBytes;
    private boolean keptAll = true;
    private final List<Integer> pids = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();
    private long bytes;
    private long misaligned;
    private long writesNotWholePackets;
    private final CountDownLatch closed = new CountDownLatch(1);

    private volatile Duration perWrite = Duration.ZERO;

    private volatile Duration firstWrite = Duration.ZERO;

    /** A sink that keeps up to {@link #DEFAULT_KEPT_BYTES} for the oracle. */
    PacketRecorder() {
        this(DEFAULT_KEPT_BYTES);
    }

    /**
     * A sink that keeps only the first {@code keptBytes} (whole writes) for the oracle, for tests
     * with hundreds of sinks: the oracle then checks that prefix.
     */
    PacketRecorder(int keptBytes) {
        this.keptBytes = keptBytes;
    }
    private volatile StreamExpectation expectation = StreamExpectation.fromAnEntryPoint().allowingNoData();

    /**
     * Says what the oracle allows in this sink's bytes when the harness checks them at the end of
     * a test (default: the stream from an entry point with no jump, or nothing at all).
     */
    PacketRecorder expecting(StreamExpectation e) {
        expectation = e;
        return this;
    }

    /** Checks every byte received against the fake engine's clip, as {@link #expecting} says. */
    StreamCheck assertFollowsSource() {
        return assertFollowsSource(expectation);
    }

    /** Makes every write take at least {@code d}, as a player slower than the engine's burst does. */
    PacketRecorder slowed(Duration d) {
        perWrite = d;
        return this;
    }

    /**
     * Makes the first write wait {@code d}, as a new player whose writer thread is slow to get a
     * core does.
     */
    PacketRecorder firstWriteDelayed(Duration d) {
        firstWrite = d;
        return this;
    }

    @Override
    public void write(ByteBuffer packets) throws IOException {
        Duration wait = perWrite;
        if (firstWrite.isPositive()) {
            wait = firstWrite;
            firstWrite = Duration.ZERO;
        }
        if (wait.isPositive()) {
            try {
                // As a socket write does, a close ends the wait with an error.
                if (closed.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new IOException("sink closed during a write");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }
        record(packets);
    }

    private synchronized void record(ByteBuffer packets) throws IOException {
        if (closed.getCount() == 0) {
            throw new IOException("sink closed");
        }
        int n = packets.remaining();
        if (n % TsPackets.PACKET_SIZE != 0) {
            writesNotWholePackets++;
        }
        long now = System.nanoTime();
        int base = packets.position();
        for (int off = 0; off + TsPackets.PACKET_SIZE <= n; off += TsPackets.PACKET_SIZE) {
            int sync = packets.get(base + off) & 0xff;
            if (sync != TsPackets.SYNC_BYTE) {
                misaligned++;
            }
            int pid = ((packets.get(base + off + 1) & 0x1f) << 8) | (packets.get(base + off + 2) & 0xff);
            pids.add(pid);
            arrivals.add(now);
        }
        bytes += n;
        // A prefix of whole writes: once one does not fit, nothing later is kept either.
        if (!keptAll || received.size() + n > keptBytes) {
            keptAll = false;
        } else {
            byte[] copy = new byte[n];
            packets.get(base, copy);
            received.writeBytes(copy);
        }
        packets.position(packets.limit());
        notifyAll();
    }

    @Override
    public void close() {
        closed.countDown();
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    boolean awaitClosed(Duration d) throws InterruptedException {
        return closed.await(d.toNanos(), TimeUnit.NANOSECONDS);
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Every byte received so far. */
    synchronized byte[] received() {
        return received.toByteArray();
    }

    /** Checks every byte received so far against the fake engine's clip. */
    StreamCheck assertFollowsSource(StreamExpectation e) {
        return StreamOracle.ofBundledClip().verify(received(), e);
    }

    synchronized int packetCount() {
        return pids.size();
    }

    synchronized List<Integer> pidsFrom(int index) {
        return List.copyOf(pids.subList(Math.min(index, pids.size()), pids.size()));
    }

    /** Arrival time (nanoTime) of the first packet with this PID at or after {@code index}, or -1. */
    synchronized long firstArrival(int pid, int index) {
        for (int i = index; i < pids.size(); i++) {
            if (pids.get(i) == pid) {
                return arrivals.get(i);
            }
        }
        return -1;
    }

    /** Arrival time of the first packet with this PID that arrived after {@code nanoTime}, or -1. */
    synchronized long firstArrivalAfter(int pid, long nanoTime) {
        for (int i = 0; i < pids.size(); i++) {
            if (pids.get(i) == pid && arrivals.get(i) > nanoTime) {
                return arrivals.get(i);
            }
        }
        return -1;
    }

    /** Packets other than PID {@code pid} that arrived between the two times. */
    synchronized int packetsOtherThan(int pid, long fromNanos, long toNanos) {
        int n = 0;
        for (int i = 0; i < pids.size(); i++) {
            long t = arrivals.get(i);
            if (pids.get(i) != pid && t > fromNanos && t < toNanos) {
                n++;
            }
        }
        return n;
    }

    synchronized long misalignedPackets() {
        return misaligned + writesNotWholePackets;
    }

    /** Waits until at least {@code n} bytes arrived. */
    synchronized boolean awaitBytes(long n, Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (bytes < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Waits until a packet with the PID arrives at or after {@code index}. */
    synchronized boolean awaitPid(int pid, int index, Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (firstArrival(pid, index) < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
