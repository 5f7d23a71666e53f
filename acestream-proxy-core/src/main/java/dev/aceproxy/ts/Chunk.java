package dev.aceproxy.ts;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An immutable run of whole 188-byte transport stream packets. One chunk is shared by every
 * client it goes to; it is never copied per client, and slicing it shares the same bytes.
 *
 * <p>{@link #wrap(byte[])} takes ownership of the array: the caller must not change it afterwards.
 */
public final class Chunk {

    private static final Chunk EMPTY = new Chunk(new byte[0], 0, 0);

    private final byte[] bytes;
    private final int offset;
    private final int length;

    private Chunk(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
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
        return length == 0 ? EMPTY : new Chunk(packets, offset, length);
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
        return length;
    }

    /**
     * Returns the number of packets.
     *
     * @return {@code length() / 188}
     */
    public int packetCount() {
        return length / TsPackets.PACKET_SIZE;
    }

    /**
     * Tells whether the chunk holds no packet.
     *
     * @return {@code true} when {@code length() == 0}
     */
    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * Returns a read-only view of the packets, position 0 and limit {@link #length()}. Each call
     * returns a new view over the same bytes.
     *
     * @return a read-only buffer
     */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes, offset, length).slice().asReadOnlyBuffer();
    }

    /**
     * Returns one byte.
     *
     * @param index from 0 to {@code length() - 1}
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is outside the chunk
     */
    public byte byteAt(int index) {
        Objects.checkIndex(index, length);
        return bytes[offset + index];
    }

    /**
     * Copies the packets into {@code target}.
     *
     * @param target where to copy
     * @param targetOffset where the first byte goes
     * @throws IndexOutOfBoundsException if {@code target} is too small
     */
    public void copyTo(byte[] target, int targetOffset) {
        System.arraycopy(bytes, offset, target, targetOffset, length);
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
        return new Chunk(bytes, offset + fromPacket * TsPackets.PACKET_SIZE,
                (toPacket - fromPacket) * TsPackets.PACKET_SIZE);
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
        out.write(bytes, offset, length);
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
