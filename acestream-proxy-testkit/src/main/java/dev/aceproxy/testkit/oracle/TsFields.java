package dev.aceproxy.testkit.oracle;

/**
 * The few MPEG-TS fields the oracle reads (ISO/IEC 13818-1), parsed here on their own so that the
 * oracle does not rely on the code it checks. Every method takes a packet's 188 bytes at an offset.
 */
final class TsFields {

    static final int PACKET_SIZE = 188;
    static final int SYNC_BYTE = 0x47;
    static final int PAT_PID = 0x0000;
    static final int NULL_PID = 0x1FFF;

    private static final int PCR_FLAG = 0x10;
    private static final int OPCR_FLAG = 0x08;
    private static final int RANDOM_ACCESS_FLAG = 0x40;
    private static final int CLOCK_REFERENCE_BYTES = 6;
    private static final int TIMESTAMP_BYTES = 5;
    private static final int H264_IDR = 5;
    private static final int HEVC_IDR_FIRST = 16;
    private static final int HEVC_IDR_LAST = 21;

    private TsFields() {
    }

    static int pid(byte[] b, int at) {
        return ((b[at + 1] & 0x1F) << 8) | (b[at + 2] & 0xFF);
    }

    static boolean payloadUnitStart(byte[] b, int at) {
        return (b[at + 1] & 0x40) != 0;
    }

    static boolean hasAdaptation(byte[] b, int at) {
        return (b[at + 3] & 0x20) != 0;
    }

    static boolean hasPayload(byte[] b, int at) {
        return (b[at + 3] & 0x10) != 0;
    }

    /** @return the offset of the payload within the packet, or {@link #PACKET_SIZE} if none */
    static int payloadOffset(byte[] b, int at) {
        if (!hasPayload(b, at)) {
            return PACKET_SIZE;
        }
        int offset = hasAdaptation(b, at) ? 5 + (b[at + 4] & 0xFF) : 4;
        return Math.min(offset, PACKET_SIZE);
    }

    static boolean randomAccess(byte[] b, int at) {
        return hasAdaptation(b, at) && (b[at + 4] & 0xFF) > 0 && (b[at + 5] & RANDOM_ACCESS_FLAG) != 0;
    }

    /**
     * Copies a packet with every field an engine's loop may rewrite set to zero: the continuity
     * counter, PCR and OPCR, and the PTS and DTS of a PES header that starts in the packet.
     */
    static void copyMasked(byte[] b, int at, byte[] out, int outAt) {
        System.arraycopy(b, at, out, outAt, PACKET_SIZE);
        out[outAt + 3] &= (byte) 0xF0;
        if (hasAdaptation(b, at) && (b[at + 4] & 0xFF) > 0) {
            int length = b[at + 4] & 0xFF;
            int flags = b[at + 5] & 0xFF;
            int p = 6;
            if ((flags & PCR_FLAG) != 0) {
                zero(out, outAt, p, CLOCK_REFERENCE_BYTES, 5 + length);
                p += CLOCK_REFERENCE_BYTES;
            }
            if ((flags & OPCR_FLAG) != 0) {
                zero(out, outAt, p, CLOCK_REFERENCE_BYTES, 5 + length);
            }
        }
        int payload = payloadOffset(b, at);
        if (payloadUnitStart(b, at) && payload + 14 <= PACKET_SIZE && isPesStart(b, at + payload)
                && hasOptionalPesHeader(b[at + payload + 3] & 0xFF)) {
            int ptsDts = (b[at + payload + 7] & 0xC0) >> 6;
            if ((ptsDts & 0x2) != 0) {
                zero(out, outAt, payload + 9, TIMESTAMP_BYTES, PACKET_SIZE);
            }
            if (ptsDts == 0x3) {
                zero(out, outAt, payload + 14, TIMESTAMP_BYTES, PACKET_SIZE);
            }
        }
    }

    /** @return whether the packet starts a video PES (stream id 0xE0 to 0xEF) */
    static boolean startsVideoPes(byte[] b, int at) {
        int payload = payloadOffset(b, at);
        return payloadUnitStart(b, at) && payload + 4 <= PACKET_SIZE && isPesStart(b, at + payload)
                && ((b[at + payload + 3] & 0xF0) == 0xE0);
    }

    /**
     * Tells whether a video packet starts a keyframe: it starts a PES and is flagged random access,
     * or an H.264 IDR or H.265 IRAP NAL unit begins in it.
     */
    static boolean startsKeyframe(byte[] b, int at) {
        if (!payloadUnitStart(b, at)) {
            return false;
        }
        if (randomAccess(b, at)) {
            return true;
        }
        int end = at + PACKET_SIZE;
        for (int p = at + payloadOffset(b, at); p + 3 < end; p++) {
            if (b[p] == 0 && b[p + 1] == 0 && b[p + 2] == 1) {
                int header = b[p + 3] & 0xFF;
                int h264 = header & 0x1F;
                int hevc = (header >> 1) & 0x3F;
                if (h264 == H264_IDR || (hevc >= HEVC_IDR_FIRST && hevc <= HEVC_IDR_LAST)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return the PMT pids a PAT packet names, or an empty array if it is not a whole PAT section */
    static int[] programMapPids(byte[] b, int at) {
        if (pid(b, at) != PAT_PID || !payloadUnitStart(b, at)) {
            return new int[0];
        }
        int p = at + payloadOffset(b, at);
        if (p >= at + PACKET_SIZE) {
            return new int[0];
        }
        p += 1 + (b[p] & 0xFF);
        if (p + 8 > at + PACKET_SIZE || (b[p] & 0xFF) != 0x00) {
            return new int[0];
        }
        int sectionLength = ((b[p + 1] & 0x0F) << 8) | (b[p + 2] & 0xFF);
        int end = Math.min(p + 3 + sectionLength - 4, at + PACKET_SIZE);
        int count = Math.max(0, (end - (p + 8)) / 4);
        int[] pids = new int[count];
        int n = 0;
        for (int q = p + 8; q + 4 <= end; q += 4) {
            int program = ((b[q] & 0xFF) << 8) | (b[q + 1] & 0xFF);
            if (program != 0) {
                pids[n++] = ((b[q + 2] & 0x1F) << 8) | (b[q + 3] & 0xFF);
            }
        }
        return java.util.Arrays.copyOf(pids, n);
    }

    private static boolean isPesStart(byte[] b, int p) {
        return b[p] == 0 && b[p + 1] == 0 && b[p + 2] == 1;
    }

    /** Stream ids whose PES packets have no optional header (ISO/IEC 13818-1, table 2-21). */
    private static boolean hasOptionalPesHeader(int streamId) {
        return streamId != 0xBC && streamId != 0xBE && streamId != 0xBF && streamId != 0xF0 && streamId != 0xF1
                && streamId != 0xFF && streamId != 0xF2 && streamId != 0xF8;
    }

    private static void zero(byte[] out, int outAt, int from, int count, int limit) {
        int end = Math.min(from + count, Math.min(limit, PACKET_SIZE));
        for (int i = from; i < end; i++) {
            out[outAt + i] = 0;
        }
    }
}
