package dev.aceproxy.ts;

/**
 * Constants of the MPEG transport stream (ISO/IEC 13818-1, 2.4.3) and ready-made filler packets.
 */
public final class TsPackets {

    /** Size of every transport stream packet in bytes. */
    public static final int PACKET_SIZE = 188;

    /** The {@code sync_byte} that starts every packet. */
    public static final int SYNC_BYTE = 0x47;

    /** PID of the program association table. */
    public static final int PAT_PID = 0x0000;

    /** PID of null packets, which every receiver discards. */
    public static final int NULL_PID = 0x1FFF;

    private static final int CACHED_NULL_PACKETS = 64;
    private static final Chunk NULL_PACKETS = Chunk.wrap(buildNullPackets(CACHED_NULL_PACKETS));

    private TsPackets() {
    }

    /**
     * Returns {@code count} null packets (PID {@code 0x1FFF}, payload only, stuffed with
     * {@code 0xFF}): filler that keeps a client's connection busy without affecting its decoder.
     * Small counts share one cached chunk.
     *
     * @param count number of packets, at least 1
     * @return a chunk of {@code count} null packets
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public static Chunk nullPackets(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        if (count <= CACHED_NULL_PACKETS) {
            return NULL_PACKETS.slice(0, count);
        }
        return Chunk.wrap(buildNullPackets(count));
    }

    private static byte[] buildNullPackets(int count) {
        byte[] bytes = new byte[count * PACKET_SIZE];
        java.util.Arrays.fill(bytes, (byte) 0xFF);
        for (int at = 0; at < bytes.length; at += PACKET_SIZE) {
            bytes[at] = (byte) SYNC_BYTE;
            bytes[at + 1] = (byte) (NULL_PID >> 8);
            bytes[at + 2] = (byte) NULL_PID;
            // adaptation_field_control '01' (payload only), continuity_counter 0
            bytes[at + 3] = 0x10;
        }
        return bytes;
    }
}
