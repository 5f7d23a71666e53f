package dev.aceproxy.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test-side reading of transport packets: continuity and PCR checks, independent of the engine's code. */
final class TsCheck {

    static final int PACKET = 188;

    private TsCheck() {
    }

    static int pid(byte[] ts, int offset) {
        return ((ts[offset + 1] & 0x1F) << 8) | (ts[offset + 2] & 0xFF);
    }

    /** @return a description of every continuity counter break, empty when the stream is continuous */
    static List<String> continuityBreaks(byte[] ts) {
        Map<Integer, Integer> last = new HashMap<>();
        List<String> breaks = new ArrayList<>();
        for (int o = 0; o + PACKET <= ts.length; o += PACKET) {
            int pid = pid(ts, o);
            int control = (ts[o + 3] >> 4) & 3;
            if (pid == 0x1FFF || (control & 1) == 0) {
                continue;
            }
            int cc = ts[o + 3] & 0x0F;
            Integer previous = last.put(pid, cc);
            if (previous != null && cc != ((previous + 1) & 0x0F)) {
                breaks.add("pid " + pid + " packet " + (o / PACKET) + ": " + previous + " -> " + cc);
            }
        }
        return breaks;
    }

    /** @return the PCRs (27 MHz) of every packet that carries one, in stream order */
    static List<Long> pcrs(byte[] ts) {
        List<Long> pcrs = new ArrayList<>();
        for (int o = 0; o + PACKET <= ts.length; o += PACKET) {
            int control = (ts[o + 3] >> 4) & 3;
            if ((control & 2) != 0 && (ts[o + 4] & 0xFF) >= 7 && (ts[o + 5] & 0x10) != 0) {
                int p = o + 6;
                long base = ((long) (ts[p] & 0xFF) << 25) | ((ts[p + 1] & 0xFF) << 17) | ((ts[p + 2] & 0xFF) << 9)
                        | ((ts[p + 3] & 0xFF) << 1) | ((ts[p + 4] & 0x80) >> 7);
                pcrs.add(base * 300 + (((ts[p + 4] & 1) << 8) | (ts[p + 5] & 0xFF)));
            }
        }
        return pcrs;
    }

    static boolean allSynced(byte[] ts) {
        for (int o = 0; o < ts.length; o += PACKET) {
            if (ts[o] != 0x47) {
                return false;
            }
        }
        return true;
    }
}
