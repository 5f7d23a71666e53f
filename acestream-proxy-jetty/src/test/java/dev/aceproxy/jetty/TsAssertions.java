package dev.aceproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

/** Test-side MPEG-TS reading (code of its own, not the proxy's): where a segment starts. */
final class TsAssertions {

    static final int PACKET = 188;

    private TsAssertions() {
    }

    static int pid(byte[] b, int at) {
        return ((b[at + 1] & 0x1F) << 8) | (b[at + 2] & 0xFF);
    }

    static boolean unitStart(byte[] b, int at) {
        return (b[at + 1] & 0x40) != 0;
    }

    static boolean randomAccess(byte[] b, int at) {
        boolean adaptation = (b[at + 3] & 0x20) != 0;
        return adaptation && (b[at + 4] & 0xFF) > 0 && (b[at + 5] & 0x40) != 0;
    }

    /** The PMT's PID, read from the PAT that starts at {@code at}. */
    static int programMapPid(byte[] b, int at) {
        int p = at + 4 + 1 + (b[at + 4] & 0xFF); // header, pointer field
        // table_id .. last_section_number: 8 bytes, then program_number(2) and PMT PID(2)
        int program = p + 8;
        return ((b[program + 2] & 0x1F) << 8) | (b[program + 3] & 0xFF);
    }

    /**
     * Asserts that a segment is whole packets and starts with the PAT, then the PMT before any
     * other packet but the SDT, then a video PES start with the random access indicator before any
     * other video packet.
     */
    static void assertStartsWithTablesAndKeyframe(byte[] segment, int videoPid, String what) {
        assertThat(segment.length % PACKET).as("%s: whole packets", what).isZero();
        assertThat(segment.length).as("%s: not empty", what).isGreaterThan(3 * PACKET);
        for (int at = 0; at < segment.length; at += PACKET) {
            assertThat(segment[at]).as("%s: sync byte at %d", what, at).isEqualTo((byte) 0x47);
        }
        assertThat(pid(segment, 0)).as("%s: first packet is the PAT", what).isZero();
        assertThat(unitStart(segment, 0)).as("%s: PAT section start", what).isTrue();
        int pmtPid = programMapPid(segment, 0);
        boolean pmtSeen = false;
        for (int at = PACKET; at < segment.length; at += PACKET) {
            int pid = pid(segment, at);
            if (pid == pmtPid) {
                pmtSeen = true;
            } else if (pid == videoPid) {
                assertThat(pmtSeen).as("%s: PMT before the first video packet", what).isTrue();
                assertThat(unitStart(segment, at) && randomAccess(segment, at))
                        .as("%s: first video packet (at %d) starts a keyframe", what, at).isTrue();
                return;
            }
        }
        throw new AssertionError(what + ": no video packet");
    }

    static int indexOf(byte[] haystack, byte[] needle, int needleLength) {
        outer:
        for (int i = 0; i + needleLength <= haystack.length; i += PACKET) {
            for (int j = 0; j < needleLength; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
