package dev.aceproxy.ts.internal;

import dev.aceproxy.ts.Chunk;
import static dev.aceproxy.ts.TsPackets.PACKET_SIZE;
import static dev.aceproxy.ts.TsPackets.SYNC_BYTE;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Cuts a byte stream into {@link Chunk}s of whole transport stream packets, as soon as they
 * arrive: {@link #next()} returns whatever whole packets one read brought and never waits to fill
 * its buffer. A partial packet is carried over to the next read.
 *
 * <p>Synchronisation: a stream that begins with the sync byte is taken as aligned. Otherwise, and
 * after a loss, a position counts as a packet start once {@value #SYNC_CONFIRMATIONS} sync bytes
 * line up 188 bytes apart (fewer at the very end of the stream). When a packet's successor
 * does not start with the sync byte, the packetiser looks for the next confirmed start; if that
 * start lies inside the packet, the packet was cut short and is dropped, otherwise the packet is
 * whole and only the bytes after it are dropped. Dropped bytes and losses are counted.
 *
 * <p>Not thread-safe: one pump thread calls {@link #next()}; the counters may be read from any
 * thread.
 */
public final class TsPacketizer {

    /**
     * Default size of the read buffer: 128 KiB, large enough that per-chunk costs stay small at
     * high rates, and that what a 4 Mbit/s stream brings while the pump pauses (200 ms, about
     * 108 KB) comes in one read that does not fill it, so that the read counts as
     * {@linkplain #lastReadDrained() drained}.
     */
    public static final int DEFAULT_READ_BUFFER_SIZE = 128 * 1024;

    /** Number of sync bytes that must line up, 188 bytes apart, to (re)gain synchronisation. */
    public static final int SYNC_CONFIRMATIONS = 3;

    /** Smallest read buffer accepted: room for a packet and the look-ahead synchronisation needs. */
    public static final int MIN_READ_BUFFER_SIZE = PACKET_SIZE * (SYNC_CONFIRMATIONS + 1);

    private static final int UNDECIDED = -2;
    private static final int NONE = -1;

    private final InputStream in;
    private final byte[] buffer;
    private int start;
    private int end;
    private boolean eof;
    private boolean lastReadDrained;
    private boolean synced;
    private boolean started;
    /** Set by {@link #confirmedSyncIn} when it returns {@link #UNDECIDED}: the first open candidate. */
    private int undecidedAt;

    private volatile long droppedBytes;
    private volatile long syncLosses;
    private volatile long packets;

    /**
     * Creates a packetiser with a {@value #DEFAULT_READ_BUFFER_SIZE}-byte read buffer.
     *
     * @param in the engine's byte stream; the packetiser reads it but does not close it
     * @throws NullPointerException if {@code in} is null
     */
    public TsPacketizer(InputStream in) {
        this(in, DEFAULT_READ_BUFFER_SIZE);
    }

    /**
     * Creates a packetiser.
     *
     * @param in the engine's byte stream; the packetiser reads it but does not close it
     * @param readBufferSize bytes asked of {@code in} per read, at least {@value #MIN_READ_BUFFER_SIZE}
     * @throws NullPointerException if {@code in} is null
     * @throws IllegalArgumentException if {@code readBufferSize} is too small
     */
    public TsPacketizer(InputStream in, int readBufferSize) {
        this.in = Objects.requireNonNull(in, "in");
        if (readBufferSize < MIN_READ_BUFFER_SIZE) {
            throw new IllegalArgumentException("readBufferSize must be at least "
                    + MIN_READ_BUFFER_SIZE + ", got " + readBufferSize);
        }
        this.buffer = new byte[readBufferSize];
    }

    /**
     * Returns the next whole packets, blocking until at least one is there. The chunk owns a
     * fresh array.
     *
     * @return the packets, or {@code null} at the end of the stream (a partial packet at the end
     *     is dropped and counted in {@link #droppedBytes()})
     * @throws IOException if reading fails
     */
    public Chunk next() throws IOException {
        while (true) {
            Chunk chunk = takeWholePackets();
            if (chunk != null) {
                return chunk;
            }
            if (eof) {
                drop(end - start);
                start = end;
                return null;
            }
            fill();
        }
    }

    /**
     * Tells whether the latest read of the source brought less than the room it offered: the
     * source had nothing more ready (a read returns what the socket holds, up to the room), so
     * reading again at once would only wait for the next trickle. The pump then lets the next
     * bytes gather in the socket instead of waking for each of them.
     *
     * @return {@code true} after a read that did not fill the buffer (or the end of the stream)
     */
    public boolean lastReadDrained() {
        return lastReadDrained;
    }

    /**
     * Returns the bytes dropped so far: bytes skipped while out of synchronisation, packets cut
     * short, and a partial packet at the end of the stream.
     *
     * @return the count of dropped bytes
     */
    public long droppedBytes() {
        return droppedBytes;
    }

    /**
     * Returns how often synchronisation was lost after it had been established.
     *
     * @return the count of sync losses
     */
    public long syncLosses() {
        return syncLosses;
    }

    /**
     * Returns the number of packets emitted so far.
     *
     * @return the count of packets
     */
    public long packets() {
        return packets;
    }

    private Chunk takeWholePackets() {
        while (true) {
            if (!synced && !regainSync()) {
                return null;
            }
            int at = start;
            boolean broken = false;
            while (at + PACKET_SIZE <= end) {
                int next = at + PACKET_SIZE;
                if (next < end && (buffer[next] & 0xFF) != SYNC_BYTE) {
                    broken = true;
                    break;
                }
                at = next;
            }
            if (at > start) {
                return emit(at);
            }
            if (!broken) {
                return null;
            }
            // The packet at start is followed by something that is not a packet start.
            int restart = confirmedSyncIn(start + 1, start + PACKET_SIZE);
            if (restart == UNDECIDED) {
                return null;
            }
            syncLosses++;
            synced = false;
            if (restart >= 0) {
                // A packet starts inside this one: this one was cut short.
                drop(restart - start);
                start = restart;
                synced = true;
                continue;
            }
            // This packet is whole; garbage follows it.
            return emit(start + PACKET_SIZE);
        }
    }

    /** Moves {@code start} to a confirmed packet start; returns false when more data is needed. */
    private boolean regainSync() {
        if (!started && start < end) {
            started = true;
            // A stream that begins on a sync byte is trusted at once, so its first packet goes out
            // without waiting for more; a false start is caught by the successor check.
            if ((buffer[start] & 0xFF) == SYNC_BYTE) {
                synced = true;
                return true;
            }
        }
        int found = confirmedSyncIn(start, end);
        if (found >= 0) {
            drop(found - start);
            start = found;
            synced = true;
            return true;
        }
        int keepFrom = found == UNDECIDED ? undecidedAt : end;
        drop(keepFrom - start);
        start = keepFrom;
        return false;
    }

    /**
     * Finds the first position in [from, to) where {@link #SYNC_CONFIRMATIONS} sync bytes line up.
     * Returns it, or {@link #NONE} when no position in the range qualifies, or {@link #UNDECIDED}
     * (with {@link #undecidedAt}) when a candidate needs bytes that have not arrived yet.
     */
    private int confirmedSyncIn(int from, int to) {
        for (int candidate = from; candidate < to && candidate < end; candidate++) {
            if ((buffer[candidate] & 0xFF) != SYNC_BYTE) {
                continue;
            }
            boolean confirmed = true;
            boolean missing = false;
            for (int i = 1; i < SYNC_CONFIRMATIONS; i++) {
                int at = candidate + i * PACKET_SIZE;
                if (at >= end) {
                    missing = true;
                    break;
                }
                if ((buffer[at] & 0xFF) != SYNC_BYTE) {
                    confirmed = false;
                    break;
                }
            }
            if (!confirmed) {
                continue;
            }
            if (missing) {
                // At the end of the stream the bytes will never come: a whole packet is enough.
                if (eof && candidate + PACKET_SIZE <= end) {
                    return candidate;
                }
                if (eof) {
                    continue;
                }
                undecidedAt = candidate;
                return UNDECIDED;
            }
            return candidate;
        }
        return NONE;
    }

    private Chunk emit(int upTo) {
        Chunk chunk = Chunk.copyOf(buffer, start, upTo - start);
        start = upTo;
        packets += chunk.packetCount();
        return chunk;
    }

    private void drop(int count) {
        if (count > 0) {
            droppedBytes += count;
        }
    }

    private void fill() throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        } else if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        int room = buffer.length - end;
        int read = in.read(buffer, end, room);
        lastReadDrained = read < room;
        if (read < 0) {
            eof = true;
        } else {
            end += read;
        }
    }
}
