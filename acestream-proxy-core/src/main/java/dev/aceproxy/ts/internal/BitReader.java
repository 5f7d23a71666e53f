package dev.aceproxy.ts.internal;

import java.nio.ByteBuffer;

/**
 * Reads big-endian bit fields, as the syntax tables of ISO/IEC 13818-1 lay them out, from a range
 * of a {@link ByteBuffer} by absolute index (the buffer's position is never changed). Reusable:
 * {@link #reset} points it at new data.
 */
public final class BitReader {

    private ByteBuffer data;
    private int bytePosition;
    private int bitOffset;
    private int limit;

    /**
     * Points the reader at {@code data[offset, limit)}.
     *
     * @param data the bytes
     * @param offset first byte to read
     * @param limit index after the last byte that may be read
     * @return this reader
     */
    public BitReader reset(ByteBuffer data, int offset, int limit) {
        this.data = data;
        this.bytePosition = offset;
        this.bitOffset = 0;
        this.limit = limit;
        return this;
    }

    /**
     * Returns the bits still readable.
     *
     * @return bits left before the limit
     */
    public int bitsLeft() {
        return (limit - bytePosition) * 8 - bitOffset;
    }

    /**
     * Returns the index of the next byte; only meaningful on a byte boundary.
     *
     * @return the absolute byte index
     */
    public int bytePosition() {
        return bytePosition;
    }

    /**
     * Reads one bit.
     *
     * @return {@code true} for 1
     * @throws IllegalStateException if no bit is left
     */
    public boolean readBit() {
        return readBits(1) == 1;
    }

    /**
     * Reads an unsigned field of up to 32 bits.
     *
     * @param count number of bits, 0 to 32
     * @return the value, in the low {@code count} bits
     * @throws IllegalStateException if fewer than {@code count} bits are left
     */
    public int readBits(int count) {
        requireBits(count);
        int value = 0;
        int remaining = count;
        while (remaining > 0) {
            int current = data.get(bytePosition) & 0xFF;
            int available = 8 - bitOffset;
            int take = Math.min(available, remaining);
            int shifted = (current >>> (available - take)) & ((1 << take) - 1);
            value = (value << take) | shifted;
            remaining -= take;
            bitOffset += take;
            if (bitOffset == 8) {
                bitOffset = 0;
                bytePosition++;
            }
        }
        return value;
    }

    /**
     * Skips bits.
     *
     * @param count bits to skip
     * @throws IllegalStateException if fewer than {@code count} bits are left
     */
    public void skipBits(int count) {
        requireBits(count);
        int total = bitOffset + count;
        bytePosition += total / 8;
        bitOffset = total % 8;
    }

    /**
     * Skips whole bytes; the reader must be on a byte boundary.
     *
     * @param count bytes to skip
     * @throws IllegalStateException if fewer bytes are left or the reader is inside a byte
     */
    public void skipBytes(int count) {
        if (bitOffset != 0) {
            throw new IllegalStateException("not on a byte boundary");
        }
        skipBits(count * 8);
    }

    private void requireBits(int count) {
        if (count < 0 || count > bitsLeft()) {
            throw new IllegalStateException("wanted " + count + " bits, " + bitsLeft() + " left");
        }
    }
}
