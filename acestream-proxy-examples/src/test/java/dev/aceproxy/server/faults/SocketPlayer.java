package dev.aceproxy.server.faults;

import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.oracle.StreamCheck;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A player on a raw socket: sends the request, checks the answer's head, then reads on a virtual
 * thread and checks every byte it gets. It records what a real player would notice: the bytes and
 * packets received, TS null packets (keepalive), any packet that does not start with the sync
 * byte, the end of the stream, and (optionally) the first bytes for a decoder. It keeps the
 * packets it got (its first {@value #KEPT_LIMIT} bytes, or fewer when a test with hundreds of
 * players says so), so that a test can check them against the source with the independent oracle.
 */
final class SocketPlayer implements AutoCloseable {

    private static final int PACKET = 188;
    /** The most bytes kept for the oracle by default: more than any fault test streams. */
    static final int KEPT_LIMIT = 32 * 1024 * 1024;

    private final Socket socket;
    private final String head;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong misaligned = new AtomicLong();
    private final AtomicLong nullPackets = new AtomicLong();
    /** Arrival times ({@link System#nanoTime()}) of the reads that completed data packets (not null packets). */
    private final ArrivalTimes dataArrivals = new ArrivalTimes();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final AtomicBoolean keptAll = new AtomicBoolean(true);
    private volatile int keptLimit = KEPT_LIMIT;
    private volatile int captureLimit;
    private final Thread reader;

    private SocketPlayer(Socket socket, String head, InputStream in) {
        this.socket = socket;
        this.head = head;
        this.reader = Thread.ofVirtual().name("fault-player-", 0).start(() -> read(in));
    }

    static SocketPlayer open(int port, String target) throws IOException {
        return open(port, target, "");
    }

    /** Opens with extra header lines, each ending in CRLF. */
    static SocketPlayer open(int port, String target, String extraHeaders) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: fault-suite\r\n" + extraHeaders
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 200")) {
            socket.close();
            throw new IOException("not a stream: " + head);
        }
        return new SocketPlayer(socket, head, in);
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private void read(InputStream in) {
        // The body is chunked: a tiny chunked decoder keeps the packet checks on the payload only.
        byte[] packet = new byte[PACKET];
        int filled = 0;
        boolean chunked = head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
        try {
            while (true) {
                long size = chunked ? chunkSize(in) : Long.MAX_VALUE;
                if (size <= 0) {
                    break;
                }
                for (long left = size; left > 0; ) {
                    int n = in.read(packet, filled, (int) Math.min(PACKET - filled, left));
                    if (n < 0) {
                        return;
                    }
                    long arrived = System.nanoTime();
                    filled += n;
                    left -= n;
                    bytes.addAndGet(n);
                    if (filled == PACKET) {
                        synchronized (captured) {
                            if (captured.size() + PACKET <= captureLimit) {
                                captured.write(packet, 0, PACKET);
                            }
                            if (keptAll.get() && kept.size() + PACKET <= keptLimit) {
                                kept.write(packet, 0, PACKET);
                            } else {
                                keptAll.set(false);
                            }
                        }
                        if (packet[0] != 0x47) {
                            misaligned.incrementAndGet();
                        } else if (((packet[1] & 0x1F) << 8 | (packet[2] & 0xFF)) == 0x1FFF) {
                            nullPackets.incrementAndGet();
                        } else {
                            dataArrivals.add(arrived);
                        }
                        filled = 0;
                    }
                }
                if (chunked) {
                    in.readNBytes(2); // CRLF after the chunk
                }
            }
        } catch (IOException e) {
            // The connection ended; ended() says so.
        } finally {
            ended.set(true);
        }
    }

    private static long chunkSize(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return -1;
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        int semicolon = line.indexOf(";");
        return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).toString().trim(), 16);
    }

    String head() {
        return head;
    }

    long bytes() {
        return bytes.get();
    }

    long packets() {
        return bytes.get() / PACKET;
    }

    long misalignedPackets() {
        return misaligned.get();
    }

    long nullPackets() {
        return nullPackets.get();
    }

    boolean ended() {
        return ended.get();
    }

    /** Keeps up to {@code limit} bytes of the body from now on, for a decoder. */
    void capture(int limit) {
        synchronized (captured) {
            captured.reset();
            captureLimit = limit;
        }
    }

    byte[] captured() {
        synchronized (captured) {
            return captured.toByteArray();
        }
    }

    /** Every whole packet received so far. */
    byte[] received() {
        synchronized (captured) {
            return kept.toByteArray();
        }
    }

    /**
     * Keeps only the first {@code bytes} for the oracle, for a test with hundreds of players (each
     * would otherwise hold its whole stream). Call it right after {@link #open}.
     */
    SocketPlayer keepAtMost(int bytes) {
        keptLimit = bytes;
        return this;
    }

    /**
     * Checks the bytes this player kept (all it received, or its first {@link #keepAtMost} bytes)
     * against the fake engine's clip.
     *
     * @throws AssertionError when they break the expectation
     */
    StreamCheck assertFollowsSource(StreamExpectation expectation) {
        return StreamOracle.ofBundledClip().verify(received(), expectation);
    }

    /** Waits until at least {@code more} bytes beyond now have arrived; fails if they do not in time. */
    void receives(long more, java.time.Duration timeout) throws InterruptedException {
        receives(more, timeout, more + " more bytes");
    }

    /** As {@link #receives(long, java.time.Duration)}; {@code what} names the wait in the failure. */
    void receives(long more, java.time.Duration timeout, String what) throws InterruptedException {
        long target = bytes() + more;
        Eventually.within(timeout, what + " (" + target + " bytes in all)", () -> bytes() >= target);
    }

    /**
     * When the first data packet (a TS packet other than keepalive filler) completed at or after
     * {@code nanos}.
     *
     * @return its arrival time, or -1 if none has yet
     */
    long firstDataAtOrAfter(long nanos) {
        return dataArrivals.firstAtOrAfter(nanos);
    }

    /** When the latest data packet completed; -1 before the first. */
    long lastDataArrival() {
        return dataArrivals.last();
    }

    /** Resets the connection (RST), as a player that is killed does. */
    void kill() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Increasing arrival times, one per read that completed data packets. Thread-safe. */
    private static final class ArrivalTimes {
        private long[] times = new long[1024];
        private int size;

        synchronized void add(long t) {
            if (size > 0 && times[size - 1] == t) {
                return;
            }
            if (size == times.length) {
                times = java.util.Arrays.copyOf(times, size * 2);
            }
            times[size++] = t;
        }

        synchronized long firstAtOrAfter(long t) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (times[mid] - t < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < size ? times[lo] : -1;
        }

        synchronized long last() {
            return size == 0 ? -1 : times[size - 1];
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
