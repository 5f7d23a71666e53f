package dev.aceproxy.ts.internal;

import static dev.aceproxy.ts.TsPackets.PACKET_SIZE;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers one PSI section from the packets of one PID (ISO/IEC 13818-1, 2.4.4): it starts at the
 * {@code pointer_field} of a packet with the payload unit start indicator and ends after
 * {@code section_length} bytes. Keeps copies of the packets that carried the section, so the table
 * can be sent again as it was. Only the first section starting in a packet is read, which is how
 * program association and program map tables are sent in practice.
 */
public final class SectionAssembler {

    /** Largest PSI section: 3 header bytes and a {@code section_length} of at most 1021. */
    private static final int MAX_SECTION_SIZE = 1024;
    private static final int SECTION_HEADER_SIZE = 3;
    private static final int SECTION_LENGTH_MASK = 0x0FFF;

    private final byte[] section = new byte[MAX_SECTION_SIZE];
    private final ByteBuffer sectionView = ByteBuffer.wrap(section).asReadOnlyBuffer();
    private List<byte[]> packets = new ArrayList<>();
    private int filled;
    private int expected;
    private boolean active;

    /**
     * Feeds one packet of the PID.
     *
     * @param data the bytes
     * @param packet index of the packet's sync byte
     * @return {@code true} when this packet completed a section whose CRC is right; then
     *     {@link #section()} and {@link #packets()} describe it until the next call
     */
    public boolean consume(ByteBuffer data, int packet) {
        int payload = PacketHeader.payloadStart(data, packet);
        if (payload < 0) {
            return false;
        }
        int packetEnd = packet + PACKET_SIZE;
        int from = payload;
        if (PacketHeader.payloadUnitStart(data, packet)) {
            int pointerField = data.get(payload) & 0xFF;
            from = payload + 1 + pointerField;
            if (from >= packetEnd) {
                active = false;
                return false;
            }
            active = true;
            filled = 0;
            expected = -1;
            packets = new ArrayList<>(1);
        } else if (!active) {
            return false;
        }
        byte[] copy = new byte[PACKET_SIZE];
        data.get(packet, copy);
        packets.add(copy);
        int wanted = expected < 0 ? MAX_SECTION_SIZE - filled : expected - filled;
        int take = Math.min(wanted, packetEnd - from);
        data.get(from, section, filled, take);
        filled += take;
        if (expected < 0 && filled >= SECTION_HEADER_SIZE) {
            expected = SECTION_HEADER_SIZE
                    + ((((section[1] & 0xFF) << 8) | (section[2] & 0xFF)) & SECTION_LENGTH_MASK);
            if (expected > MAX_SECTION_SIZE || expected < SECTION_HEADER_SIZE + 4) {
                active = false;
                return false;
            }
        }
        if (expected < 0 || filled < expected) {
            return false;
        }
        active = false;
        return MpegCrc32.of(sectionView, 0, expected) == 0;
    }

    /**
     * Returns the last completed section, from {@code table_id} to {@code CRC_32} inclusive.
     *
     * @return a read-only buffer, position 0, limit the section's size
     */
    public ByteBuffer section() {
        return sectionView.duplicate().limit(expected);
    }

    /**
     * Returns copies of the packets that carried the last completed section.
     *
     * @return the packets, in order; the caller may keep them
     */
    public List<byte[]> packets() {
        return packets;
    }

    /** Forgets a section in progress. */
    public void reset() {
        active = false;
        filled = 0;
        expected = -1;
    }
}
