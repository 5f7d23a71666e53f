package dev.aceproxy.ts;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable run of whole 188-byte transport stream packets. One chunk is shared by every
 * client it goes to; it is never copied per client, and slicing it shares the same bytes.
 *
 * <p>{@link #wrap(byte[])} takes ownership of the array: the caller must not change it afterwards.
 * {@link #copyOf(byte[], int, int)} copies onto the Java heap. {@link #join(java.util.List)} and
 * {@link #outsideHeap()} copy into memory outside the Java heap, once per stream, for the chunks
 * that go to clients: a socket write of such a chunk goes to the kernel from the chunk itself,
 * where a chunk on the heap would first be copied into a temporary native buffer for every client
 * it is written to.
 *
 * <p>Memory outside the heap is given back only when a garbage collection finds its chunk
 * unreachable, and a stream that allocated nothing else on the heap would hold its native garbage
 * until the JVM's direct memory limit forces a collection. So the short-lived chunks of each engine
 * read are heap chunks ({@code copyOf}): their garbage drives the young collections that also
 * free the native memory of the chunks the clients are done with.
 */
public final class Chunk {

    private static final Chunk EMPTY = new Chunk(ByteBuffer.allocate(0).asReadOnlyBuffer());

    /** The packets: read-only, position 0, limit and capacity the chunk's length; never moved. */
    private final ByteBuffer view;

    private Chunk(ByteBuffer view) {
        this.view = view;
    }

    /**
     * Wraps a whole array of packets without copying it.
     *
     * @param packets whole packets; the chunk owns the array from now on
     * @return the chunk
     * @throws NullPointerException if {@code packets} is null
     * @throws IllegalArgumentException if the length is not a multiple of 188 or a packet does
     *     not start with the sync byte {@code 0x47}
     */
    public static Chunk wrap(byte[] packets) {
        return wrap(packets, 0, Objects.requireNonNull(packets, "packets").length);
    }

    /**
     * Wraps part of an array of packets without copying it.
     *
     * @param packets the array; the chunk owns the range from now on
     * @param offset where the first packet starts
     * @param length number of bytes, a multiple of 188
     * @return the chunk
     * @throws NullPointerException if {@code packets} is null
     * @throws IndexOutOfBoundsException if the range is outside the array
     * @throws IllegalArgumentException if {@code length} is not a multiple of 188 or a packet
     *     does not start with the sync byte {@code 0x47}
     */
    public static Chunk wrap(byte[] packets, int offset, int length) {
        Objects.requireNonNull(packets, "packets");
        Objects.checkFromIndexSize(offset, length, packets.length);
        checkPackets(packets, offset, length);
        return length == 0 ? EMPTY : new Chunk(
                ByteBuffer.wrap(packets, offset, length).slice().asReadOnlyBuffer());
    }

    /**
     * Copies packets into a new chunk on the Java heap (see the class description).
     *
     * @param packets the array; it is not kept
     * @param offset where the first packet starts
     * @param length number of bytes, a multiple of 188
     * @return the chunk
     * @throws NullPointerException if {@code packets} is null
     * @throws IndexOutOfBoundsException if the range is outside the array
     * @throws IllegalArgumentException if {@code length} is not a multiple of 188 or a packet
     *     does not start with the sync byte {@code 0x47}
     */
    public static Chunk copyOf(byte[] packets, int offset, int length) {
        Objects.requireNonNull(packets, "packets");
        Objects.checkFromIndexSize(offset, length, packets.length);
        checkPackets(packets, offset, length);
        if (length == 0) {
            return EMPTY;
        }
        return new Chunk(ByteBuffer.wrap(Arrays.copyOfRange(packets, offset, offset + length)).asReadOnlyBuffer());
    }

    /**
     * Returns this chunk when its bytes are outside the Java heap already, else a copy of it
     * outside the heap (see the class description).
     *
     * @return a chunk with the same packets, outside the heap
     */
    public Chunk outsideHeap() {
        if (view.isDirect() || isEmpty()) {
            return this;
        }
        ByteBuffer copy = ByteBuffer.allocateDirect(length()).put(view.duplicate()).flip();
        return new Chunk(copy.asReadOnlyBuffer());
    }

    /**
     * Joins chunks, in order, into one new chunk outside the Java heap (see the class description).
     *
     * @param chunks the chunks to join; not kept
     * @return the joined chunk
     * @throws NullPointerException if {@code chunks} or one of them is null
     */
    public static Chunk join(java.util.List<Chunk> chunks) {
        long total = 0;
        for (Chunk chunk : chunks) {
            total += chunk.length();
        }
        if (total == 0) {
            return EMPTY;
        }
        ByteBuffer joined = ByteBuffer.allocateDirect(Math.toIntExact(total));
        for (Chunk chunk : chunks) {
            joined.put(chunk.buffer());
        }
        return new Chunk(joined.flip().asReadOnlyBuffer());
    }

    private static void checkPackets(byte[] packets, int offset, int length) {
        if (length % TsPackets.PACKET_SIZE != 0) {
            throw new IllegalArgumentException("length must be a multiple of "
                    + TsPackets.PACKET_SIZE + ", got " + length);
        }
        for (int at = offset; at < offset + length; at += TsPackets.PACKET_SIZE) {
            if ((packets[at] & 0xFF) != TsPackets.SYNC_BYTE) {
                throw new IllegalArgumentException("packet at byte " + (at - offset)
                        + " does not start with the sync byte 0x47");
            }
        }
    }

    /**
     * Returns the chunk of no packets.
     *
     * @return an empty chunk
     */
    public static Chunk empty() {
        return EMPTY;
    }

    /**
     * Returns the number of bytes.
     *
     * @return bytes in this chunk, a multiple of 188
     */
    public int length() {
        return view.capacity();
    }

    /**
     * Returns the number of packets.
     *
     * @return {@code length() / 188}
     */
    public int packetCount() {
        return length() / TsPackets.PACKET_SIZE;
    }

    /**
     * Tells whether the chunk holds no packet.
     *
     * @return {@code true} when {@code length() == 0}
     */
    public boolean isEmpty() {
        return length() == 0;
    }

    /**
     * Returns a read-only view of the packets, position 0 and limit {@link #length()}. Each call
     * returns a new view over the same bytes.
     *
     * @return a read-only buffer
     */
    public ByteBuffer buffer() {
        return view.duplicate();
    }

    /**
     * Returns one byte.
     *
     * @param index from 0 to {@code length() - 1}
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is outside the chunk
     */
    public byte byteAt(int index) {
        Objects.checkIndex(index, length());
        return view.get(index);
    }

    /**
     * Copies the packets into {@code target}.
     *
     * @param target where to copy
     * @param targetOffset where the first byte goes
     * @throws IndexOutOfBoundsException if {@code target} is too small
     */
    public void copyTo(byte[] target, int targetOffset) {
        view.get(0, target, targetOffset, length());
    }

    /**
     * Returns the packets from {@code fromPacket} to {@code toPacket} (exclusive) as a chunk that
     * shares these bytes.
     *
     * @param fromPacket first packet, from 0
     * @param toPacket packet after the last, up to {@link #packetCount()}
     * @return the slice
     * @throws IndexOutOfBoundsException if the range is outside the chunk
     */
    public Chunk slice(int fromPacket, int toPacket) {
        Objects.checkFromToIndex(fromPacket, toPacket, packetCount());
        if (fromPacket == 0 && toPacket == packetCount()) {
            return this;
        }
        if (fromPacket == toPacket) {
            return EMPTY;
        }
        return new Chunk(view.slice(fromPacket * TsPackets.PACKET_SIZE,
                (toPacket - fromPacket) * TsPackets.PACKET_SIZE));
    }

    /**
     * Returns the packets from {@code fromPacket} to the end, sharing these bytes.
     *
     * @param fromPacket first packet, from 0 to {@link #packetCount()}
     * @return the slice
     * @throws IndexOutOfBoundsException if {@code fromPacket} is outside the chunk
     */
    public Chunk slice(int fromPacket) {
        return slice(fromPacket, packetCount());
    }

    /**
     * Writes the packets to {@code out}.
     *
     * @param out the target
     * @throws IOException if {@code out} fails
     */
    public void writeTo(OutputStream out) throws IOException {
        byte[] piece = new byte[Math.min(length(), 16 * 1024)];
        for (int at = 0; at < length(); at += piece.length) {
            int n = Math.min(piece.length, length() - at);
            view.get(at, piece, 0, n);
            out.write(piece, 0, n);
        }
    }

    /**
     * Describes the chunk by its size.
     *
     * @return e.g. {@code Chunk[7 packets]}
     */
    @Override
    public String toString() {
        return "Chunk[" + packetCount() + " packets]";
    }
}
