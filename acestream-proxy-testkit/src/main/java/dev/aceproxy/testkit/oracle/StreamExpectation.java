package dev.aceproxy.testkit.oracle;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test allows in a player's bytes. By default nothing but the source itself: the bytes
 * start where a decoder can start, follow the source with no jump, and hold no packet that is not
 * in it. Keepalive null packets are always allowed. Immutable.
 */
public final class StreamExpectation {

    private final boolean fromAnywhere;
    private final int recoveries;
    private final boolean requireData;

    private StreamExpectation(boolean fromAnywhere, int recoveries, boolean requireData) {
        this.fromAnywhere = fromAnywhere;
        this.recoveries = recoveries;
        this.requireData = requireData;
    }

    /**
     * The bytes a player got from its first byte: the program tables and a keyframe first (from the
     * stream's start, or resent tables then a keyframe, as a late joiner gets them), then the
     * source with no jump.
     *
     * @return the expectation
     */
    public static StreamExpectation fromAnEntryPoint() {
        return new StreamExpectation(false, 0, true);
    }

    /**
     * A capture that began in the middle of a stream: it may start at any packet, then follows the
     * source with no jump.
     *
     * @return the expectation
     */
    public static StreamExpectation fromAnywhere() {
        return new StreamExpectation(true, 0, true);
    }

    /**
     * Allows up to {@code max} jumps, for a test in which the upstream was replaced (a reconnect, a
     * new engine session, a failover). Each jump must land where a decoder can start again: on the
     * program tables and a keyframe, or on a keyframe right after resent tables.
     *
     * @param max the most jumps allowed, at least 0
     * @return a new expectation
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public StreamExpectation allowingRecoveries(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be at least 0: " + max);
        }
        return new StreamExpectation(fromAnywhere, max, requireData);
    }

    /**
     * Allows a player that received no stream packet at all (only keepalive filler, or nothing).
     *
     * @return a new expectation
     */
    public StreamExpectation allowingNoData() {
        return new StreamExpectation(fromAnywhere, recoveries, false);
    }

    /**
     * Lists how the check breaks this expectation.
     *
     * @param check what the oracle found
     * @return one line per problem, empty when the bytes are as expected
     * @throws NullPointerException if {@code check} is null
     */
    public List<String> problems(StreamCheck check) {
        List<String> problems = new ArrayList<>();
        if (check.misalignedAt() >= 0) {
            problems.add("the bytes leave the 188-byte packet grid at byte " + check.misalignedAt());
        }
        if (!check.foreignPackets().isEmpty()) {
            problems.add(check.foreignPackets().size() + " packets are not in the source (torn or invented)");
        }
        if (check.segments().isEmpty()) {
            if (requireData) {
                problems.add("no stream packet was received");
            }
            return problems;
        }
        SourceRun first = check.segments().get(0);
        if (!fromAnywhere && !first.cleanEntry()) {
            problems.add("the player's first packets are not the program tables and a keyframe: " + first);
        }
        if (check.jumps() > recoveries) {
            problems.add(check.jumps() + " jumps in the stream where " + recoveries + " are allowed");
        }
        for (SourceRun segment : check.segments().subList(1, check.segments().size())) {
            if (!segment.cleanEntry()) {
                problems.add("a jump lands where no decoder can start: " + segment);
            }
        }
        if (check.strayTablePackets() > 0) {
            problems.add(check.strayTablePackets() + " resent table packets came with no jump after them");
        }
        return problems;
    }

    @Override
    public String toString() {
        return (fromAnywhere ? "from anywhere" : "from an entry point") + ", up to " + recoveries + " recoveries"
                + (requireData ? "" : ", no data allowed");
    }
}
