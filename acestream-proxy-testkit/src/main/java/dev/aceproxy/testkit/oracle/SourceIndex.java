package dev.aceproxy.testkit.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The source's packets, null packets left out, each with its masked content and what it is: a
 * program table, a keyframe, a place where a player may cleanly enter. Immutable once built.
 */
final class SourceIndex {

    /** How far after an entry point its keyframe may lie; about a few seconds of a typical stream. */
    private static final int KEYFRAME_SEARCH_PACKETS = 20_000;

    private final int packets;
    private final byte[] masked;
    private final int[] sourcePacket;
    private final Map<Long, int[]> byFingerprint;
    private final Set<Integer> tablePids;
    private final boolean[] table;
    private final boolean[] keyframeEntry;
    private final boolean[] fullEntry;

    private SourceIndex(byte[] source) {
        int total = source.length / TsFields.PACKET_SIZE;
        this.tablePids = tablePids(source, total);
        Set<Integer> videoPids = videoPids(source, total);
        byte[] maskedAll = new byte[total * TsFields.PACKET_SIZE];
        int[] origin = new int[total];
        int n = 0;
        for (int i = 0; i < total; i++) {
            int at = i * TsFields.PACKET_SIZE;
            if (TsFields.pid(source, at) == TsFields.NULL_PID) {
                continue;
            }
            TsFields.copyMasked(source, at, maskedAll, n * TsFields.PACKET_SIZE);
            origin[n++] = i;
        }
        this.packets = n;
        this.masked = Arrays.copyOf(maskedAll, n * TsFields.PACKET_SIZE);
        this.sourcePacket = Arrays.copyOf(origin, n);
        Map<Long, List<Integer>> groups = new HashMap<>();
        this.table = new boolean[n];
        boolean[] keyframe = new boolean[n];
        boolean[] videoPayload = new boolean[n];
        for (int s = 0; s < n; s++) {
            int at = s * TsFields.PACKET_SIZE;
            groups.computeIfAbsent(fingerprint(masked, at), k -> new ArrayList<>(1)).add(s);
            int pid = TsFields.pid(masked, at);
            table[s] = tablePids.contains(pid);
            if (videoPids.contains(pid) && TsFields.hasPayload(masked, at)) {
                videoPayload[s] = true;
                keyframe[s] = TsFields.startsKeyframe(masked, at);
            }
        }
        this.byFingerprint = new HashMap<>();
        groups.forEach((k, v) -> byFingerprint.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        this.keyframeEntry = new boolean[n];
        this.fullEntry = new boolean[n];
        markEntries(keyframe, videoPayload);
    }

    static SourceIndex of(byte[] source) {
        if (source.length < TsFields.PACKET_SIZE || source.length % TsFields.PACKET_SIZE != 0) {
            throw new IllegalArgumentException("the source must be whole 188-byte packets, got " + source.length + " bytes");
        }
        for (int at = 0; at < source.length; at += TsFields.PACKET_SIZE) {
            if ((source[at] & 0xFF) != TsFields.SYNC_BYTE) {
                throw new IllegalArgumentException("the source has no sync byte at " + at);
            }
        }
        SourceIndex index = new SourceIndex(source);
        if (index.packets == 0) {
            throw new IllegalArgumentException("the source has only null packets");
        }
        return index;
    }

    /**
     * For each packet: is the first video payload at or after it a keyframe start (a player may
     * enter here once it has the tables), and do a PAT and a PMT also come before that keyframe
     * (a player may enter here with nothing else). The source loops, so the search wraps.
     */
    private void markEntries(boolean[] keyframe, boolean[] videoPayload) {
        boolean anyVideo = false;
        for (boolean v : videoPayload) {
            anyVideo |= v;
        }
        if (!anyVideo) {
            return;
        }
        int limit = Math.min(packets, KEYFRAME_SEARCH_PACKETS);
        for (int s = 0; s < packets; s++) {
            boolean pat = false;
            boolean pmt = false;
            for (int step = 0; step < limit; step++) {
                int q = (s + step) % packets;
                int pid = TsFields.pid(masked, q * TsFields.PACKET_SIZE);
                if (pid == TsFields.PAT_PID) {
                    pat = true;
                } else if (table[q]) {
                    pmt = pat || pmt;
                }
                if (videoPayload[q]) {
                    keyframeEntry[s] = keyframe[q];
                    fullEntry[s] = keyframe[q] && pat && pmt;
                    break;
                }
            }
        }
    }

    int packets() {
        return packets;
    }

    /** @return the packet's index in the source with null packets counted, for reports */
    int sourcePacket(int s) {
        return sourcePacket[s];
    }

    boolean isTablePid(int pid) {
        return tablePids.contains(pid);
    }

    boolean isTable(int s) {
        return table[s];
    }

    boolean isKeyframeEntry(int s) {
        return keyframeEntry[s];
    }

    boolean isFullEntry(int s) {
        return fullEntry[s];
    }

    /** @return whether a masked received packet equals source packet {@code s} */
    boolean matches(byte[] maskedPacket, int at, int s) {
        return Arrays.equals(maskedPacket, at, at + TsFields.PACKET_SIZE,
                masked, s * TsFields.PACKET_SIZE, (s + 1) * TsFields.PACKET_SIZE);
    }

    /** @return every source packet whose masked content equals the given one */
    int[] locate(byte[] maskedPacket, int at) {
        int[] candidates = byFingerprint.get(fingerprint(maskedPacket, at));
        if (candidates == null) {
            return new int[0];
        }
        return Arrays.stream(candidates).filter(s -> matches(maskedPacket, at, s)).toArray();
    }

    /** A 64-bit FNV-1a hash of a packet's masked bytes. */
    static long fingerprint(byte[] b, int at) {
        long h = 0xcbf29ce484222325L;
        for (int i = at; i < at + TsFields.PACKET_SIZE; i++) {
            h ^= b[i] & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static Set<Integer> tablePids(byte[] source, int total) {
        Set<Integer> pids = new HashSet<>();
        pids.add(TsFields.PAT_PID);
        for (int i = 0; i < total; i++) {
            for (int pid : TsFields.programMapPids(source, i * TsFields.PACKET_SIZE)) {
                pids.add(pid);
            }
        }
        return Set.copyOf(pids);
    }

    private static Set<Integer> videoPids(byte[] source, int total) {
        Set<Integer> pids = new HashSet<>();
        for (int i = 0; i < total; i++) {
            if (TsFields.startsVideoPes(source, i * TsFields.PACKET_SIZE)) {
                pids.add(TsFields.pid(source, i * TsFields.PACKET_SIZE));
            }
        }
        return Set.copyOf(pids);
    }
}
