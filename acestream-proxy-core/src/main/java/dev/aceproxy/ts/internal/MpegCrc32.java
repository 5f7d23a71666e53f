package dev.aceproxy.ts.internal;

import java.nio.ByteBuffer;

/**
 * The CRC that ends every PSI section (ISO/IEC 13818-1, Annex A): polynomial {@code 0x04C11DB7},
 * initial value all ones, no reflection, no final inversion. A section including its
 * {@code CRC_32} field yields zero.
 */
public final class MpegCrc32 {

    private static final int POLYNOMIAL = 0x04C11DB7;
    private static final int[] TABLE = buildTable();

    private MpegCrc32() {
    }

    /**
     * Computes the CRC of {@code data[offset, offset + length)}.
     *
     * @param data the bytes
     * @param offset first byte
     * @param length number of bytes
     * @return the CRC
     */
    public static int of(ByteBuffer data, int offset, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data.get(i)) & 0xFF];
        }
        return crc;
    }

    private static int[] buildTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
            }
            table[i] = crc;
        }
        return table;
    }
}
