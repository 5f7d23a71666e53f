package dev.aceproxy.testkit.oracle;

import java.util.List;

/**
 * What the {@link StreamOracle} found in a player's bytes: how they split into runs that each
 * follow the source, and anything that is in no run. Immutable.
 *
 * @param receivedBytes how many bytes the player received
 * @param misalignedAt the offset of the first 188-byte packet that does not start with the sync
 *     byte, or -1 when every packet does (the analysis stops there)
 * @param nullPackets null packets (PID 0x1FFF) received: the proxy's keepalive filler and the
 *     source's own padding; they are not part of any run
 * @param segments the runs, in the order received
 * @param foreignPackets received packets (by index) that are nowhere in the source: torn, merged
 *     or invented packets
 * @param strayTablePackets resent program-table packets that no jump followed
 */
public record StreamCheck(long receivedBytes, long misalignedAt, long nullPackets, List<SourceRun> segments,
                          List<Long> foreignPackets, long strayTablePackets) {

    /** The most runs and foreign packets {@link #describe()} lists. */
    private static final int LISTED = 12;

    /**
     * Copies the lists.
     *
     * @throws NullPointerException if a list is null
     */
    public StreamCheck {
        segments = List.copyOf(segments);
        foreignPackets = List.copyOf(foreignPackets);
    }

    /**
     * Counts the jumps: the places where the player's bytes stop following the source and go on
     * from another place in it.
     *
     * @return the number of runs less one, or 0 when there is none
     */
    public int jumps() {
        return Math.max(0, segments.size() - 1);
    }

    /**
     * Counts the source packets the player received in runs.
     *
     * @return packets, null packets and resent tables not counted
     */
    public long streamPackets() {
        return segments.stream().mapToLong(SourceRun::packets).sum();
    }

    /**
     * Describes the finding for a test failure's message.
     *
     * @return several lines of text
     */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(receivedBytes).append(" bytes received, ").append(streamPackets()).append(" stream packets in ")
                .append(segments.size()).append(" run(s), ").append(nullPackets).append(" null packets");
        if (misalignedAt >= 0) {
            text.append("\n  no sync byte at byte ").append(misalignedAt).append(": analysis stopped there");
        }
        if (!foreignPackets.isEmpty()) {
            text.append("\n  ").append(foreignPackets.size()).append(" packets not in the source, at received packets ")
                    .append(foreignPackets.subList(0, Math.min(LISTED, foreignPackets.size())));
        }
        if (strayTablePackets > 0) {
            text.append("\n  ").append(strayTablePackets).append(" resent table packets with no jump after them");
        }
        for (int i = 0; i < Math.min(LISTED, segments.size()); i++) {
            text.append("\n  ").append(segments.get(i));
        }
        if (segments.size() > LISTED) {
            text.append("\n  ... and ").append(segments.size() - LISTED).append(" more runs");
        }
        return text.toString();
    }
}
