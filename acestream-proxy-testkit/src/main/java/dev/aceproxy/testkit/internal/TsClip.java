package dev.aceproxy.testkit.internal;

import java.util.Arrays;

/**
 * An MPEG-TS clip indexed for looping: where each packet carries a PCR, PTS or DTS, how far each
 * PID's continuity counter advances over one pass, and how long one pass lasts (ISO/IEC 13818-1).
 * Immutable.
 */
public final class TsClip {

    /** Bytes in one transport packet. */
    public static final int PACKET_SIZE = 188;
    static final int SYNC_BYTE = 0x47;
    static final int NULL_PID = 0x1FFF;
    /** System clock ticks per second (PCR). */
    static final long SYSTEM_CLOCK_HZ = 27_000_000L;
    /** PCR base ticks per PCR tick, i.e. 27 MHz over 90 kHz. */
    static final int PCR_EXTENSION_RANGE = 300;
    /** PTS, DTS and the PCR base are 33-bit counters. */
    static final long TIMESTAMP_MODULUS = 1L << 33;
    /** Smallest PID that may carry PES; lower ones are PSI/SI tables. */
    private static final int FIRST_ELEMENTARY_PID = 0x20;

    private final byte[] data;
    private final int packets;
    private final int[] pids;
    /** Offset inside the packet of the 6-byte PCR field, or 0. */
    private final short[] pcrOffsets;
    /** Offset inside the packet of the 5-byte PTS field, or 0. */
    private final short[] ptsOffsets;
    /** Offset inside the packet of the 5-byte DTS field, or 0. */
    private final short[] dtsOffsets;
    /** Per PID: how much its continuity counter advances over one whole pass. */
    private final byte[] continuityStep = new byte[NULL_PID + 1];
    private final long loopTicks90k;

    private TsClip(byte[] data, long fallbackBitsPerSecond) {
        this.data = data;
        this.packets = data.length / PACKET_SIZE;
        this.pids = new int[packets];
        this.pcrOffsets = new short[packets];
        this.ptsOffsets = new short[packets];
        this.dtsOffsets = new short[packets];
        int[] firstCc = new int[NULL_PID + 1];
        int[] lastCc = new int[NULL_PID + 1];
        Arrays.fill(firstCc, -1);
        int pcrPid = -1;
        int firstPcrPacket = -1;
        int lastPcrPacket = -1;
        long firstPcr = 0;
        long lastPcr = 0;
        for (int i = 0; i < packets; i++) {
            int o = i * PACKET_SIZE;
            int pid = ((data[o + 1] & 0x1F) << 8) | (data[o + 2] & 0xFF);
            pids[i] = pid;
            boolean unitStart = (data[o + 1] & 0x40) != 0;
            int control = (data[o + 3] >> 4) & 0x3;
            boolean hasAdaptation = (control & 0x2) != 0;
            boolean hasPayload = (control & 0x1) != 0;
            int p = o + 4;
            if (hasAdaptation) {
                int length = data[p] & 0xFF;
                if (length >= 7 && (data[p + 1] & 0x10) != 0) {
                    pcrOffsets[i] = (short) (p + 2 - o);
                    long pcr = readPcr(data, p + 2);
                    if (pcrPid < 0) {
                        pcrPid = pid;
                    }
                    if (pid == pcrPid) {
                        if (firstPcrPacket < 0) {
                            firstPcrPacket = i;
                            firstPcr = pcr;
                        }
                        lastPcrPacket = i;
                        lastPcr = pcr;
                    }
                }
                p += 1 + length;
            }
            if (hasPayload && pid != NULL_PID) {
                int cc = data[o + 3] & 0x0F;
                if (firstCc[pid] < 0) {
                    firstCc[pid] = cc;
                }
                lastCc[pid] = cc;
            }
            if (hasPayload && unitStart && pid >= FIRST_ELEMENTARY_PID && pid != NULL_PID) {
                indexPesHeader(i, o, p);
            }
        }
        for (int pid = 0; pid < NULL_PID; pid++) {
            if (firstCc[pid] >= 0) {
                continuityStep[pid] = (byte) ((lastCc[pid] + 1 - firstCc[pid]) & 0x0F);
            }
        }
        if (lastPcrPacket > firstPcrPacket) {
            long span = Math.floorMod(lastPcr - firstPcr, TIMESTAMP_MODULUS * PCR_EXTENSION_RANGE);
            double ticksPerPacket = (double) span / (lastPcrPacket - firstPcrPacket);
            this.loopTicks90k = Math.max(1, Math.round(ticksPerPacket * packets / PCR_EXTENSION_RANGE));
        } else if (fallbackBitsPerSecond > 0) {
            this.loopTicks90k = Math.max(1, Math.round((double) data.length * 8 * 90_000 / fallbackBitsPerSecond));
        } else {
            throw new IllegalArgumentException(
                    "the clip carries fewer than two PCRs on one PID, so its rate is unknown: configure a bitrate");
        }
    }

    private void indexPesHeader(int index, int packetStart, int p) {
        int end = packetStart + PACKET_SIZE;
        if (p + 9 > end || data[p] != 0 || data[p + 1] != 0 || data[p + 2] != 1) {
            return;
        }
        int streamId = data[p + 3] & 0xFF;
        boolean noOptionalHeader = streamId == 0xBC || streamId == 0xBE || streamId == 0xBF
                || streamId == 0xF0 || streamId == 0xF1 || streamId == 0xF2 || streamId == 0xF8 || streamId == 0xFF;
        if (noOptionalHeader || (data[p + 6] & 0xC0) != 0x80) {
            return;
        }
        int ptsDtsFlags = (data[p + 7] >> 6) & 0x3;
        if (ptsDtsFlags >= 2 && p + 14 <= end) {
            ptsOffsets[index] = (short) (p + 9 - packetStart);
        }
        if (ptsDtsFlags == 3 && p + 19 <= end) {
            dtsOffsets[index] = (short) (p + 14 - packetStart);
        }
    }

    /**
     * Indexes a clip.
     *
     * @param mpegTs whole transport packets, each starting with the sync byte; not copied, must not change
     * @param fallbackBitsPerSecond the rate to assume when the clip has no PCRs, or 0 for none
     * @return the indexed clip
     * @throws IllegalArgumentException if the bytes are not whole sync-aligned packets, or the
     *     clip's duration cannot be known
     */
    public static TsClip index(byte[] mpegTs, long fallbackBitsPerSecond) {
        checkPackets(mpegTs);
        return new TsClip(mpegTs, fallbackBitsPerSecond);
    }

    /**
     * Checks that bytes are a non-empty run of whole, sync-aligned transport packets.
     *
     * @param mpegTs the bytes
     * @throws IllegalArgumentException if they are not
     */
    public static void checkPackets(byte[] mpegTs) {
        if (mpegTs.length == 0 || mpegTs.length % PACKET_SIZE != 0) {
            throw new IllegalArgumentException("a clip must be whole 188-byte packets, got " + mpegTs.length + " bytes");
        }
        for (int o = 0; o < mpegTs.length; o += PACKET_SIZE) {
            if ((mpegTs[o] & 0xFF) != SYNC_BYTE) {
                throw new IllegalArgumentException("no sync byte at packet " + (o / PACKET_SIZE));
            }
        }
    }

    /** @return the number of packets in one pass */
    public int packets() {
        return packets;
    }

    /** @return the duration of one pass in 90 kHz ticks; timestamps advance by this much per pass */
    public long loopTicks90k() {
        return loopTicks90k;
    }

    /** @return the clip's own rate in bits per second: its size over its duration */
    public long bitsPerSecond() {
        return Math.max(1, Math.round((double) data.length * 8 * 90_000 / loopTicks90k));
    }

    /**
     * Copies one packet into {@code out}, rewritten as it appears in a given pass of the loop.
     *
     * @param index the packet in the clip
     * @param absolutePass how many whole passes precede this one on the stream's timeline; shifts PCR, PTS and DTS
     * @param relativePass how many passes this connection has sent before; shifts continuity counters
     * @param out the destination
     * @param at where to write the packet
     */
    void copyPacket(int index, long absolutePass, long relativePass, byte[] out, int at) {
        System.arraycopy(data, index * PACKET_SIZE, out, at, PACKET_SIZE);
        int pid = pids[index];
        if (pid != NULL_PID) {
            int step = (int) ((continuityStep[pid] * (relativePass & 0x0F)) & 0x0F);
            int b = out[at + 3] & 0xFF;
            out[at + 3] = (byte) ((b & 0xF0) | (((b & 0x0F) + step) & 0x0F));
        }
        if (absolutePass == 0) {
            return;
        }
        long shift90k = Math.floorMod(absolutePass * loopTicks90k, TIMESTAMP_MODULUS);
        if (pcrOffsets[index] != 0) {
            int p = at + pcrOffsets[index];
            long pcr = readPcr(out, p) + shift90k * PCR_EXTENSION_RANGE;
            writePcr(out, p, Math.floorMod(pcr, TIMESTAMP_MODULUS * PCR_EXTENSION_RANGE));
        }
        if (ptsOffsets[index] != 0) {
            shiftTimestamp(out, at + ptsOffsets[index], shift90k);
        }
        if (dtsOffsets[index] != 0) {
            shiftTimestamp(out, at + dtsOffsets[index], shift90k);
        }
    }

    private static long readPcr(byte[] b, int p) {
        long base = ((long) (b[p] & 0xFF) << 25) | ((b[p + 1] & 0xFF) << 17) | ((b[p + 2] & 0xFF) << 9)
                | ((b[p + 3] & 0xFF) << 1) | ((b[p + 4] & 0x80) >> 7);
        int extension = ((b[p + 4] & 0x01) << 8) | (b[p + 5] & 0xFF);
        return base * PCR_EXTENSION_RANGE + extension;
    }

    private static void writePcr(byte[] b, int p, long pcr) {
        long base = pcr / PCR_EXTENSION_RANGE;
        int extension = (int) (pcr % PCR_EXTENSION_RANGE);
        b[p] = (byte) (base >> 25);
        b[p + 1] = (byte) (base >> 17);
        b[p + 2] = (byte) (base >> 9);
        b[p + 3] = (byte) (base >> 1);
        b[p + 4] = (byte) (((base & 0x1) << 7) | 0x7E | ((extension >> 8) & 0x1));
        b[p + 5] = (byte) extension;
    }

    private static void shiftTimestamp(byte[] b, int p, long shift) {
        long ts = ((long) (b[p] & 0x0E) << 29) | ((b[p + 1] & 0xFF) << 22) | ((b[p + 2] & 0xFE) << 14)
                | ((b[p + 3] & 0xFF) << 7) | ((b[p + 4] & 0xFE) >> 1);
        ts = (ts + shift) & (TIMESTAMP_MODULUS - 1);
        b[p] = (byte) ((b[p] & 0xF1) | ((ts >> 29) & 0x0E));
        b[p + 1] = (byte) (ts >> 22);
        b[p + 2] = (byte) (((ts >> 14) & 0xFE) | 0x01);
        b[p + 3] = (byte) (ts >> 7);
        b[p + 4] = (byte) (((ts << 1) & 0xFE) | 0x01);
    }
}
