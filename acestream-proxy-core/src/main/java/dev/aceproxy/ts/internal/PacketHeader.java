package dev.aceproxy.ts.internal;

import static dev.aceproxy.ts.TsPackets.PACKET_SIZE;

import java.nio.ByteBuffer;

/**
 * The fixed four-byte packet header and the adaptation field's flags (ISO/IEC 13818-1, 2.4.3.2
 * and 2.4.3.4), read from a packet at an absolute index of a buffer.
 */
public final class PacketHeader {

    /** {@code payload_unit_start_indicator} in header byte 1. */
    private static final int PAYLOAD_UNIT_START_INDICATOR = 0x40;
    /** {@code adaptation_field_control} value bits in header byte 3. */
    private static final int ADAPTATION_FIELD_PRESENT = 0x20;
    private static final int PAYLOAD_PRESENT = 0x10;
    private static final int CONTINUITY_COUNTER_MASK = 0x0F;
    /** {@code random_access_indicator} in the adaptation field's flag byte. */
    private static final int RANDOM_ACCESS_INDICATOR = 0x40;
    private static final int HEADER_SIZE = 4;

    private PacketHeader() {
    }

    /**
     * Returns the 13-bit {@code PID}.
     *
     * @param data the bytes
     * @param packet index of the packet's sync byte
     * @return the PID
     */
    public static int pid(ByteBuffer data, int packet) {
        return ((data.get(packet + 1) & 0x1F) << 8) | (data.get(packet + 2) & 0xFF);
    }

    /**
     * Tells whether a PES packet or PSI section starts in this packet.
     *
     * @param data the bytes
     * @param packet index of the packet's sync byte
     * @return the {@code payload_unit_start_indicator}
     */
    public static boolean payloadUnitStart(ByteBuffer data, int packet) {
        return (data.get(packet + 1) & PAYLOAD_UNIT_START_INDICATOR) != 0;
    }

    /**
     * Returns the 4-bit {@code continuity_counter}.
     *
     * @param data the bytes
     * @param packet index of the packet's sync byte
     * @return 0 to 15
     */
    public static int continuityCounter(ByteBuffer data, int packet) {
        return data.get(packet + 3) & CONTINUITY_COUNTER_MASK;
    }

    /**
     * Tells whether the adaptation field is present and sets {@code random_access_indicator}.
     *
     * @param data the bytes
     * @param packet index of the packet's sync byte
     * @return the random access indicator, {@code false} without adaptation field
     */
    public static boolean randomAccess(ByteBuffer data, int packet) {
        if ((data.get(packet + 3) & ADAPTATION_FIELD_PRESENT) == 0) {
            return false;
        }
        int adaptationFieldLength = data.get(packet + HEADER_SIZE) & 0xFF;
        return adaptationFieldLength > 0
                && (data.get(packet + HEADER_SIZE + 1) & RANDOM_ACCESS_INDICATOR) != 0;
    }

    /**
     * Returns the index of the first payload byte, or -1 when the packet carries no payload or its
     * adaptation field claims more than the packet holds.
     *
     * @param data the bytes
     * @param packet index of the packet's sync byte
     * @return the absolute index of the payload, or -1
     */
    public static int payloadStart(ByteBuffer data, int packet) {
        int control = data.get(packet + 3);
        if ((control & PAYLOAD_PRESENT) == 0) {
            return -1;
        }
        int at = packet + HEADER_SIZE;
        if ((control & ADAPTATION_FIELD_PRESENT) != 0) {
            at += 1 + (data.get(at) & 0xFF);
        }
        return at < packet + PACKET_SIZE ? at : -1;
    }

    /**
     * Sets the continuity counter of a packet held in an array.
     *
     * @param packets the array
     * @param packet index of the packet's sync byte
     * @param counter the new counter; only its low four bits are used
     */
    public static void setContinuityCounter(byte[] packets, int packet, int counter) {
        packets[packet + 3] = (byte) ((packets[packet + 3] & ~CONTINUITY_COUNTER_MASK)
                | (counter & CONTINUITY_COUNTER_MASK));
    }
}
