package dev.aceproxy.testkit.oracle;

import java.util.ArrayList;
import java.util.List;

/**
 * One pass over a player's bytes: masks each packet, follows the source while the packets match,
 * and starts a new run where they stop matching. Not thread-safe; used once.
 */
final class StreamWalk {

    /** How many following packets decide between several places a packet could come from. */
    private static final int LOOKAHEAD_PACKETS = 512;

    private final SourceIndex index;
    private final byte[] received;
    private final long misalignedAt;
    /** The received packets' indices, null packets left out. */
    private final long[] order;
    /** The masked content of those packets, in that order. */
    private final byte[] masked;

    private final List<SourceRun> segments = new ArrayList<>();
    private final List<Long> foreign = new ArrayList<>();
    private long nullPackets;
    private long strayTables;

    StreamWalk(SourceIndex index, byte[] received) {
        this.index = index;
        this.received = received;
        int whole = received.length / TsFields.PACKET_SIZE;
        int aligned = whole;
        for (int i = 0; i < whole; i++) {
            if ((received[i * TsFields.PACKET_SIZE] & 0xFF) != TsFields.SYNC_BYTE) {
                aligned = i;
                break;
            }
        }
        boolean tail = received.length % TsFields.PACKET_SIZE != 0 && aligned == whole;
        this.misalignedAt = aligned < whole ? (long) aligned * TsFields.PACKET_SIZE
                : tail ? (long) whole * TsFields.PACKET_SIZE : -1;
        long[] kept = new long[aligned];
        byte[] maskedAll = new byte[aligned * TsFields.PACKET_SIZE];
        int n = 0;
        for (int i = 0; i < aligned; i++) {
            int at = i * TsFields.PACKET_SIZE;
            if (TsFields.pid(received, at) == TsFields.NULL_PID) {
                nullPackets++;
                continue;
            }
            TsFields.copyMasked(received, at, maskedAll, n * TsFields.PACKET_SIZE);
            kept[n++] = i;
        }
        this.order = java.util.Arrays.copyOf(kept, n);
        this.masked = maskedAll;
    }

    StreamCheck run() {
        int expected = -1;
        int pendingTables = 0;
        long runStart = -1;
        long runPackets = 0;
        int runSource = 0;
        int runTables = 0;
        boolean runClean = false;
        for (int k = 0; k < order.length; k++) {
            int at = k * TsFields.PACKET_SIZE;
            if (expected >= 0 && index.matches(masked, at, expected)) {
                strayTables += pendingTables;
                pendingTables = 0;
                runPackets++;
                expected = (expected + 1) % index.packets();
                continue;
            }
            int[] candidates = index.locate(masked, at);
            if (candidates.length == 0) {
                foreign.add(order[k]);
                continue;
            }
            if (index.isTablePid(TsFields.pid(masked, at))) {
                pendingTables++;
                continue;
            }
            if (runStart >= 0) {
                segments.add(new SourceRun(runStart, runPackets, index.sourcePacket(runSource), runTables, runClean));
            }
            int start = bestCandidate(candidates, k);
            runStart = order[k];
            runPackets = 1;
            runSource = start;
            runTables = pendingTables;
            runClean = index.isFullEntry(start) || (pendingTables > 0 && index.isKeyframeEntry(start));
            pendingTables = 0;
            expected = (start + 1) % index.packets();
        }
        if (runStart >= 0) {
            segments.add(new SourceRun(runStart, runPackets, index.sourcePacket(runSource), runTables, runClean));
        }
        return new StreamCheck(received.length, misalignedAt, nullPackets, segments, foreign, strayTables);
    }

    /** Picks the place in the source that the most following received packets go on to match. */
    private int bestCandidate(int[] candidates, int k) {
        if (candidates.length == 1) {
            return candidates[0];
        }
        int best = candidates[0];
        int bestLength = -1;
        for (int candidate : candidates) {
            int length = 0;
            int s = candidate;
            for (int j = k + 1; j < order.length && length < LOOKAHEAD_PACKETS; j++) {
                s = (s + 1) % index.packets();
                if (!index.matches(masked, j * TsFields.PACKET_SIZE, s)) {
                    break;
                }
                length++;
            }
            if (length > bestLength) {
                best = candidate;
                bestLength = length;
            }
        }
        return best;
    }
}
