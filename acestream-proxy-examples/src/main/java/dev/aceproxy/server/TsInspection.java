package dev.aceproxy.server;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * Watches MPEG-TS packets go by and remembers what a healthy stream must show (ISO/IEC 13818-1):
 * a program association table (PID 0), the program map table it points to, and random access
 * points (the adaptation field's {@code random_access_indicator}) on a video elementary stream.
 * Not thread-safe.
 */
public final class TsInspection {

    private static final int PACKET_SIZE = 188;
    private static final int SYNC_BYTE = 0x47;
    private static final int PAT_PID = 0;
    private static final int TABLE_PAT = 0x00;
    private static final int TABLE_PMT = 0x02;
    /** Video stream types: MPEG-1/2 video, MPEG-4 part 2, H.264, H.265. */
    private static final Set<Integer> VIDEO_STREAM_TYPES = Set.of(0x01, 0x02, 0x10, 0x1B, 0x24);

    private final Set<Integer> pmtPids = new HashSet<>();
    private final Set<Integer> videoPids = new HashSet<>();
    private long packets;
    private boolean patSeen;
    private boolean pmtSeen;
    private long keyframes;
    private long badSyncPackets;

    /** Starts with nothing seen. */
    public TsInspection() {
    }

    /**
     * Inspects whole packets.
     *
     * @param buffer a run of 188-byte packets; its position is not changed
     */
    public void observe(ByteBuffer buffer) {
        for (int at = buffer.position(); at + PACKET_SIZE <= buffer.limit(); at += PACKET_SIZE) {
            packet(buffer, at);
        }
    }

    /**
     * Returns the packets inspected.
     *
     * @return every 188-byte packet passed in so far
     */
    public long packets() {
        return packets;
    }

    /**
     * Tells whether a program association table went by.
     *
     * @return true once a PAT section was seen on PID 0
     */
    public boolean patSeen() {
        return patSeen;
    }

    /**
     * Tells whether a program map table the PAT points to went by.
     *
     * @return true once a PMT section was seen
     */
    public boolean pmtSeen() {
        return pmtSeen;
    }

    /**
     * Returns the random access points seen on a video stream.
     *
     * @return the count of packets with {@code random_access_indicator} set
     */
    public long keyframes() {
        return keyframes;
    }

    /**
     * Returns the packets that did not start with the sync byte {@code 0x47}.
     *
     * @return their count
     */
    public long badSyncPackets() {
        return badSyncPackets;
    }

    private void packet(ByteBuffer b, int at) {
        packets++;
        if ((b.get(at) & 0xFF) != SYNC_BYTE) {
            badSyncPackets++;
            return;
        }
        boolean unitStart = (b.get(at + 1) & 0x40) != 0;
        int pid = ((b.get(at + 1) & 0x1F) << 8) | (b.get(at + 2) & 0xFF);
        int adaptation = (b.get(at + 3) >> 4) & 0x3;
        int payload = at + 4;
        if ((adaptation & 0x2) != 0) {
            int length = b.get(at + 4) & 0xFF;
            if (length > 0 && (b.get(at + 5) & 0x40) != 0 && (videoPids.isEmpty() || videoPids.contains(pid))) {
                keyframes++;
            }
            payload = at + 5 + length;
        }
        if ((adaptation & 0x1) == 0 || !unitStart || payload >= at + PACKET_SIZE) {
            return;
        }
        if (pid == PAT_PID) {
            section(b, payload, at + PACKET_SIZE, true);
        } else if (pmtPids.contains(pid)) {
            section(b, payload, at + PACKET_SIZE, false);
        }
    }

    private void section(ByteBuffer b, int payload, int end, boolean pat) {
        int table = payload + 1 + (b.get(payload) & 0xFF);
        if (table + 3 > end) {
            return;
        }
        int tableId = b.get(table) & 0xFF;
        int sectionLength = ((b.get(table + 1) & 0x0F) << 8) | (b.get(table + 2) & 0xFF);
        int sectionEnd = Math.min(end, table + 3 + sectionLength - 4);
        if (pat && tableId == TABLE_PAT) {
            patSeen = true;
            for (int i = table + 8; i + 4 <= sectionEnd; i += 4) {
                int program = ((b.get(i) & 0xFF) << 8) | (b.get(i + 1) & 0xFF);
                if (program != 0) {
                    pmtPids.add(((b.get(i + 2) & 0x1F) << 8) | (b.get(i + 3) & 0xFF));
                }
            }
        } else if (!pat && tableId == TABLE_PMT && table + 12 <= end) {
            pmtSeen = true;
            int programInfo = ((b.get(table + 10) & 0x0F) << 8) | (b.get(table + 11) & 0xFF);
            int i = table + 12 + programInfo;
            while (i + 5 <= sectionEnd) {
                int streamType = b.get(i) & 0xFF;
                int pid = ((b.get(i + 1) & 0x1F) << 8) | (b.get(i + 2) & 0xFF);
                int infoLength = ((b.get(i + 3) & 0x0F) << 8) | (b.get(i + 4) & 0xFF);
                if (VIDEO_STREAM_TYPES.contains(streamType)) {
                    videoPids.add(pid);
                }
                i += 5 + infoLength;
            }
        }
    }
}
