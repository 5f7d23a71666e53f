package dev.aceproxy.ts.internal;

import static dev.aceproxy.ts.TsPackets.PACKET_SIZE;

import java.nio.ByteBuffer;

/**
 * Decides, packet by packet of the video PID, where a random access point (a keyframe) starts.
 *
 * <p>A PES packet starts a keyframe when its first transport packet sets the adaptation field's
 * {@code random_access_indicator}. Without it, the reader looks into the elementary stream: the
 * first video coding layer NAL unit of the access unit decides (H.264 {@code nal_unit_type} 5, IDR;
 * H.265 types 16 to 23, IRAP), and for MPEG-2 video a {@code sequence_header_code} before the
 * first picture counts as a random access point. Since that answer may come a few packets after
 * the PES start, the reader reports {@link Verdict#PENDING} until it knows.
 */
public final class RandomAccessReader {

    /** What one packet tells about random access. */
    public enum Verdict {
        /** Nothing new: not a PES start and nothing pending. */
        NONE,
        /** This packet starts a PES packet that is a keyframe. */
        KEYFRAME,
        /** This packet starts a PES packet, or continues one, whose kind is not known yet. */
        PENDING,
        /** The pending PES packet (started earlier) turned out to be a keyframe. */
        PENDING_KEYFRAME,
        /** The PES packet started by this or an earlier packet is not a keyframe. */
        NOT_KEYFRAME
    }

    /** ITU-T H.264 Table 7-1: coded slice of an IDR picture. */
    static final int H264_NAL_IDR_SLICE = 5;
    /** ITU-T H.264 Table 7-1: coded slice of a non-IDR picture (first VCL type). */
    static final int H264_NAL_NON_IDR_SLICE = 1;
    /** ITU-T H.265 Table 7-1: first IRAP type (BLA_W_LP). */
    static final int H265_NAL_IRAP_FIRST = 16;
    /** ITU-T H.265 Table 7-1: last IRAP type (RSV_IRAP_VCL23). */
    static final int H265_NAL_IRAP_LAST = 23;
    /** ITU-T H.265 Table 7-1: VCL NAL unit types are below this value. */
    static final int H265_NAL_FIRST_NON_VCL = 32;
    /** ISO/IEC 13818-2: {@code sequence_header_code} start code value. */
    static final int MPEG2_SEQUENCE_HEADER = 0xB3;
    /** ISO/IEC 13818-2: {@code picture_start_code} start code value. */
    static final int MPEG2_PICTURE_START = 0x00;

    /** ISO/IEC 13818-1, 2.4.3.7: {@code packet_start_code_prefix} plus stream id and length. */
    private static final int PES_FIXED_HEADER_SIZE = 6;
    private static final int PES_OPTIONAL_HEADER_FLAGS_SIZE = 3;
    /** An access unit names its first picture within a few kilobytes; give up after this many packets. */
    private static final int MAX_PACKETS_SCANNED = 32;

    private final int streamType;
    private final BitReader bits = new BitReader();
    private boolean scanning;
    private int packetsScanned;
    private int zeroBytes;
    private boolean startCodeSeen;

    /**
     * Creates a reader for one video stream.
     *
     * @param streamType the PMT's {@code stream_type}: one of the video types of {@link ProgramTables}
     */
    public RandomAccessReader(int streamType) {
        this.streamType = streamType;
    }

    /**
     * Feeds one packet of the video PID.
     *
     * @param data the bytes
     * @param packet index of the packet's sync byte
     * @return what the packet tells
     */
    public Verdict consume(ByteBuffer data, int packet) {
        boolean unitStart = PacketHeader.payloadUnitStart(data, packet);
        if (unitStart) {
            scanning = false;
            if (PacketHeader.randomAccess(data, packet)) {
                return Verdict.KEYFRAME;
            }
            int payload = PacketHeader.payloadStart(data, packet);
            int elementary = payload < 0 ? -1 : elementaryStreamStart(data, payload, packet + PACKET_SIZE);
            if (elementary < 0) {
                return Verdict.NONE;
            }
            scanning = true;
            packetsScanned = 0;
            zeroBytes = 0;
            startCodeSeen = false;
            Verdict verdict = scan(data, elementary, packet + PACKET_SIZE);
            return switch (verdict) {
                case PENDING_KEYFRAME -> Verdict.KEYFRAME;
                default -> verdict;
            };
        }
        if (!scanning) {
            return Verdict.NONE;
        }
        int payload = PacketHeader.payloadStart(data, packet);
        if (payload < 0) {
            return Verdict.PENDING;
        }
        return scan(data, payload, packet + PACKET_SIZE);
    }

    /** Forgets a PES packet in progress. */
    public void reset() {
        scanning = false;
    }

    private int elementaryStreamStart(ByteBuffer data, int payload, int packetEnd) {
        int headerEnd = payload + PES_FIXED_HEADER_SIZE + PES_OPTIONAL_HEADER_FLAGS_SIZE;
        if (headerEnd > packetEnd) {
            return -1;
        }
        bits.reset(data, payload, packetEnd);
        if (bits.readBits(24) != 0x000001) {
            return -1;
        }
        // stream_id, PES_packet_length, '10', scrambling .. extension flags
        bits.skipBits(8 + 16 + 16);
        int headerDataLength = bits.readBits(8);
        int start = headerEnd + headerDataLength;
        return start <= packetEnd ? start : -1;
    }

    private Verdict scan(ByteBuffer data, int from, int to) {
        if (++packetsScanned > MAX_PACKETS_SCANNED) {
            scanning = false;
            return Verdict.NOT_KEYFRAME;
        }
        for (int i = from; i < to; i++) {
            int value = data.get(i) & 0xFF;
            if (startCodeSeen) {
                startCodeSeen = false;
                Verdict verdict = classify(value);
                if (verdict != Verdict.PENDING) {
                    scanning = false;
                    return verdict;
                }
            }
            if (value == 0) {
                zeroBytes++;
            } else {
                startCodeSeen = value == 1 && zeroBytes >= 2;
                zeroBytes = 0;
            }
        }
        return Verdict.PENDING;
    }

    /** Classifies the byte after a start code prefix: the NAL unit header or start code value. */
    private Verdict classify(int value) {
        switch (streamType) {
            case ProgramTables.STREAM_TYPE_H264 -> {
                int type = value & 0x1F;
                if (type == H264_NAL_IDR_SLICE) {
                    return Verdict.PENDING_KEYFRAME;
                }
                if (type >= H264_NAL_NON_IDR_SLICE && type < H264_NAL_IDR_SLICE) {
                    return Verdict.NOT_KEYFRAME;
                }
                return Verdict.PENDING;
            }
            case ProgramTables.STREAM_TYPE_H265 -> {
                int type = (value >> 1) & 0x3F;
                if (type >= H265_NAL_IRAP_FIRST && type <= H265_NAL_IRAP_LAST) {
                    return Verdict.PENDING_KEYFRAME;
                }
                if (type < H265_NAL_FIRST_NON_VCL) {
                    return Verdict.NOT_KEYFRAME;
                }
                return Verdict.PENDING;
            }
            default -> {
                if (value == MPEG2_SEQUENCE_HEADER) {
                    return Verdict.PENDING_KEYFRAME;
                }
                if (value == MPEG2_PICTURE_START) {
                    return Verdict.NOT_KEYFRAME;
                }
                return Verdict.PENDING;
            }
        }
    }
}
