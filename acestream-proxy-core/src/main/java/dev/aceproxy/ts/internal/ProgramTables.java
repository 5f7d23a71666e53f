package dev.aceproxy.ts.internal;

import java.nio.ByteBuffer;

/**
 * Reads the program association table (ISO/IEC 13818-1, 2.4.4.3) and the program map table
 * (2.4.4.8) as far as fast start needs them: the PMT's PID and the video stream.
 */
public final class ProgramTables {

    /** {@code table_id} of a program association section. */
    public static final int TABLE_ID_PROGRAM_ASSOCIATION = 0x00;
    /** {@code table_id} of a TS program map section. */
    public static final int TABLE_ID_PROGRAM_MAP = 0x02;

    /** {@code stream_type} of ISO/IEC 13818-2 (MPEG-2) video. */
    public static final int STREAM_TYPE_MPEG2_VIDEO = 0x02;
    /** {@code stream_type} of ITU-T H.264 video. */
    public static final int STREAM_TYPE_H264 = 0x1B;
    /** {@code stream_type} of ITU-T H.265 video. */
    public static final int STREAM_TYPE_H265 = 0x24;

    /** Bytes of {@code CRC_32} at the end of every section. */
    private static final int CRC_SIZE = 4;

    private ProgramTables() {
    }

    /**
     * The first video elementary stream of a program.
     *
     * @param pid the {@code elementary_PID}
     * @param streamType one of the {@code STREAM_TYPE_...} constants
     */
    public record VideoStream(int pid, int streamType) {
    }

    /**
     * Returns the {@code program_map_PID} of the first program in a program association section.
     *
     * @param section the section from {@code table_id} to {@code CRC_32}
     * @param bits a reader to use
     * @return the PMT's PID, or -1 when the section is not a PAT or names no program
     */
    public static int firstProgramMapPid(ByteBuffer section, BitReader bits) {
        bits.reset(section, 0, section.limit() - CRC_SIZE);
        if (bits.bitsLeft() < 8 * 8 || bits.readBits(8) != TABLE_ID_PROGRAM_ASSOCIATION) {
            return -1;
        }
        // section_syntax_indicator .. last_section_number
        bits.skipBits(4 + 12 + 16 + 2 + 5 + 1 + 8 + 8);
        while (bits.bitsLeft() >= 32) {
            int programNumber = bits.readBits(16);
            bits.skipBits(3);
            int pid = bits.readBits(13);
            if (programNumber != 0) {
                return pid;
            }
        }
        return -1;
    }

    /**
     * Returns the first video stream of a program map section.
     *
     * @param section the section from {@code table_id} to {@code CRC_32}
     * @param bits a reader to use
     * @return the video stream, or {@code null} when the section is not a PMT or lists no H.264,
     *     H.265 or MPEG-2 video
     */
    public static VideoStream firstVideoStream(ByteBuffer section, BitReader bits) {
        bits.reset(section, 0, section.limit() - CRC_SIZE);
        if (bits.bitsLeft() < 12 * 8 || bits.readBits(8) != TABLE_ID_PROGRAM_MAP) {
            return null;
        }
        // section_syntax_indicator .. last_section_number, reserved, PCR_PID, reserved
        bits.skipBits(4 + 12 + 16 + 2 + 5 + 1 + 8 + 8 + 3 + 13 + 4);
        int programInfoLength = bits.readBits(12);
        if (programInfoLength * 8 > bits.bitsLeft()) {
            return null;
        }
        bits.skipBytes(programInfoLength);
        while (bits.bitsLeft() >= 5 * 8) {
            int streamType = bits.readBits(8);
            bits.skipBits(3);
            int pid = bits.readBits(13);
            bits.skipBits(4);
            int esInfoLength = bits.readBits(12);
            if (streamType == STREAM_TYPE_H264 || streamType == STREAM_TYPE_H265
                    || streamType == STREAM_TYPE_MPEG2_VIDEO) {
                return new VideoStream(pid, streamType);
            }
            if (esInfoLength * 8 > bits.bitsLeft()) {
                return null;
            }
            bits.skipBytes(esInfoLength);
        }
        return null;
    }
}
