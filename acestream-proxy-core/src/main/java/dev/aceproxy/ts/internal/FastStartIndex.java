package dev.aceproxy.ts.internal;

import dev.aceproxy.ts.FastStartPolicy;
import dev.aceproxy.ts.Chunk;
import static dev.aceproxy.ts.TsPackets.PACKET_SIZE;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Watches the stream for the latest random access point, so that a late joiner can start with a
 * picture at once. It parses the program association table for the program map PID, the program
 * map table for the video PID (H.264, H.265 or MPEG-2 video), and the video packets for the start
 * of each keyframe (the random access indicator, or the access unit's first picture when the
 * indicator is absent). It keeps the chunks from the latest keyframe on, for at most the policy's
 * window and byte bound; a keyframe found in the chunk just observed is kept until the next chunk
 * whatever its size, so that a player waiting for a keyframe can resume at it.
 *
 * <p>The {@linkplain #startSequence() start sequence} is the PAT and PMT, then the stream from the
 * keyframe's first packet on. The copied tables carry continuity counters chosen so that they run
 * on without a jump into the packets that follow them.
 *
 * <p>Thread-safe: {@link #observe} is called by the one thread that pumps the stream, the other
 * methods from any thread; every method is short and never blocks on I/O.
 */
public final class FastStartIndex {

    private final FastStartPolicy policy;
    private final long windowNanos;
    private final ProgramTracker program = new ProgramTracker();
    private final ArrayDeque<WindowEntry> window = new ArrayDeque<>();

    private int patLastCounter = -1;
    private int pmtLastCounter = -1;
    private AccessPoint keyframe;
    private AccessPoint candidate;
    private long sequence;
    private long keyframes;

    /**
     * Creates an index.
     *
     * @param policy whether to index and how much to keep
     * @throws NullPointerException if {@code policy} is null
     */
    public FastStartIndex(FastStartPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.windowNanos = policy.window().toNanos();
    }

    /**
     * Returns the policy.
     *
     * @return the policy given at construction
     */
    public FastStartPolicy policy() {
        return policy;
    }

    /**
     * Reads the next chunk of the stream. Does nothing when fast start is disabled.
     *
     * @param chunk the next chunk, in stream order
     * @throws NullPointerException if {@code chunk} is null
     */
    public synchronized void observe(Chunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (!policy.enabled() || chunk.isEmpty()) {
            return;
        }
        long seq = ++sequence;
        long now = System.nanoTime();
        long keyframesBefore = keyframes;
        ByteBuffer data = chunk.buffer();
        int count = chunk.packetCount();
        for (int index = 0; index < count; index++) {
            int at = index * PACKET_SIZE;
            ProgramTracker.Kind kind = program.kindOf(PacketHeader.pid(data, at));
            switch (kind) {
                case PAT -> {
                    patLastCounter = PacketHeader.continuityCounter(data, at);
                    noteTablePacket(true, patLastCounter);
                    onTable(program.consumeTable(kind, data, at));
                }
                case PMT -> {
                    pmtLastCounter = PacketHeader.continuityCounter(data, at);
                    noteTablePacket(false, pmtLastCounter);
                    onTable(program.consumeTable(kind, data, at));
                }
                case VIDEO -> onVideoPacket(data, at, seq, index, now);
                case OTHER -> {
                    // not part of the program's start
                }
            }
        }
        trackBytes(keyframe, seq, chunk);
        trackBytes(candidate, seq, chunk);
        // A keyframe found in this chunk is kept until the next one whatever the bytes since it:
        // a player waiting for a keyframe resumes at it even when one gathered chunk holds more
        // than the bound. A joiner's start stays within its own bound (startSequence(maxBytes)).
        boolean foundNow = keyframes != keyframesBefore;
        if (keyframe != null && !foundNow && (now - keyframe.arrivalNanos > windowNanos
                || keyframe.bytes > policy.maxBytes())) {
            keyframe = null;
        }
        if (candidate != null && candidate.bytes > policy.maxBytes()) {
            candidate = null;
        }
        if (keyframe != null || candidate != null) {
            window.addLast(new WindowEntry(chunk, seq));
        }
        trimWindow();
    }

    /**
     * Returns what a client joining now receives before live data: the PAT, the PMT, then the
     * stream from the latest keyframe's first packet up to the last observed chunk. Empty when
     * fast start is disabled or no keyframe within the window is known: the client then starts
     * at the live edge.
     *
     * @return the chunks, packet-aligned; empty to start at the live edge
     */
    public List<Chunk> startSequence() {
        return startSequence(policy.maxBytes());
    }

    /**
     * Returns where a player that waits for a keyframe resumes, right after the chunk that held a
     * new keyframe was observed: the PAT, the PMT, then the stream from that keyframe on, whatever
     * its size (one gathered chunk may hold more than the replay bound).
     *
     * @return the chunks, packet-aligned; empty when no keyframe is held
     */
    public synchronized List<Chunk> resumeSequence() {
        return sequenceWithin(Long.MAX_VALUE);
    }

    /**
     * Like {@link #startSequence()}, but empty when the sequence would exceed {@code maxBytes}
     * (or the policy's bound), so that a start sequence never overflows a client's queue on its own.
     *
     * @param maxBytes the most bytes the sequence may hold
     * @return the chunks, packet-aligned; empty to start at the live edge
     */
    public synchronized List<Chunk> startSequence(long maxBytes) {
        return sequenceWithin(Math.min(maxBytes, policy.maxBytes()));
    }

    private List<Chunk> sequenceWithin(long maxBytes) {
        if (!policy.enabled() || keyframe == null || program.patPackets() == null
                || program.pmtPackets() == null) {
            return List.of();
        }
        Chunk tables = tables(keyframe);
        if (tables.length() + keyframe.bytes > maxBytes) {
            return List.of();
        }
        List<Chunk> sequenceOut = new ArrayList<>(window.size() + 1);
        sequenceOut.add(tables);
        for (WindowEntry entry : window) {
            if (entry.seq == keyframe.seq) {
                sequenceOut.add(entry.chunk.slice(keyframe.packet));
            } else if (entry.seq > keyframe.seq) {
                sequenceOut.add(entry.chunk);
            }
        }
        return List.copyOf(sequenceOut);
    }

    /**
     * Returns the latest PAT and PMT, as they were received, as one chunk: what a client needs
     * to decode again after the upstream was replaced.
     *
     * @return the tables, or empty until both have been seen
     */
    public synchronized Optional<Chunk> programTables() {
        return Optional.ofNullable(program.tablesChunk());
    }

    /**
     * Forgets the replay window and any access unit in progress, for a new upstream; keeps the
     * program tables and the PIDs they name.
     */
    public synchronized void reset() {
        window.clear();
        keyframe = null;
        candidate = null;
        program.reset();
    }

    /**
     * Returns how many keyframes have been found so far; a change tells that a new one starts
     * the {@linkplain #startSequence() start sequence}.
     *
     * @return the count of keyframes found
     */
    public synchronized long keyframes() {
        return keyframes;
    }

    /**
     * Tells whether a keyframe within the window is known, i.e. whether
     * {@link #startSequence()} is not empty.
     *
     * @return {@code true} when a late joiner would start at a keyframe
     */
    public synchronized boolean hasKeyframe() {
        return policy.enabled() && keyframe != null && program.patPackets() != null && program.pmtPackets() != null;
    }

    /**
     * Returns the PID of the video stream named by the latest PMT.
     *
     * @return the video PID, or empty when none is known (yet)
     */
    public synchronized OptionalInt videoPid() {
        ProgramTables.VideoStream video = program.video();
        return video == null ? OptionalInt.empty() : OptionalInt.of(video.pid());
    }




    /** A new program map or video stream: keyframes found so far belong to the old one. */
    private void onTable(ProgramTracker.Change change) {
        if (change == ProgramTracker.Change.PROGRAM_MAP_MOVED) {
            pmtLastCounter = -1;
        }
        if (change != ProgramTracker.Change.NONE) {
            keyframe = null;
            candidate = null;
        }
    }

    private void onVideoPacket(ByteBuffer data, int at, long seq, int index, long now) {
        switch (program.videoReader().consume(data, at)) {
            case KEYFRAME -> {
                keyframe = new AccessPoint(seq, index, now);
                candidate = null;
                keyframes++;
            }
            case PENDING -> {
                if (PacketHeader.payloadUnitStart(data, at)) {
                    candidate = new AccessPoint(seq, index, now);
                }
            }
            case PENDING_KEYFRAME -> {
                if (candidate != null) {
                    keyframe = candidate;
                    candidate = null;
                    keyframes++;
                }
            }
            case NOT_KEYFRAME -> candidate = null;
            case NONE -> {
                if (PacketHeader.payloadUnitStart(data, at)) {
                    candidate = null;
                }
            }
        }
    }

    private void noteTablePacket(boolean programAssociation, int counter) {
        for (AccessPoint point : new AccessPoint[] {keyframe, candidate}) {
            if (point == null) {
                continue;
            }
            if (programAssociation && point.firstPatCounter < 0) {
                point.firstPatCounter = counter;
            } else if (!programAssociation && point.firstPmtCounter < 0) {
                point.firstPmtCounter = counter;
            }
        }
    }

    private static void trackBytes(AccessPoint point, long seq, Chunk chunk) {
        if (point == null) {
            return;
        }
        point.bytes = point.seq == seq
                ? (long) (chunk.packetCount() - point.packet) * PACKET_SIZE
                : point.bytes + chunk.length();
    }

    private void trimWindow() {
        if (keyframe == null && candidate == null) {
            window.clear();
            return;
        }
        long keepFrom = Math.min(keyframe == null ? Long.MAX_VALUE : keyframe.seq,
                candidate == null ? Long.MAX_VALUE : candidate.seq);
        while (!window.isEmpty() && window.peekFirst().seq < keepFrom) {
            window.removeFirst();
        }
    }

    /**
     * Copies the tables, outside the heap, with continuity counters that lead into what follows the
     * access point: one before the first table packet after it, or the last one seen when none
     * followed.
     */
    private Chunk tables(AccessPoint point) {
        int patLast = point.firstPatCounter >= 0 ? point.firstPatCounter - 1 : patLastCounter;
        int pmtLast = point.firstPmtCounter >= 0 ? point.firstPmtCounter - 1 : pmtLastCounter;
        byte[] bytes = new byte[(program.patPackets().size() + program.pmtPackets().size()) * PACKET_SIZE];
        int at = copyWithCounters(program.patPackets(), patLast, bytes, 0);
        copyWithCounters(program.pmtPackets(), pmtLast, bytes, at);
        return Chunk.wrap(bytes).outsideHeap(); // it goes to a client's socket as it is
    }

    private static int copyWithCounters(List<byte[]> packets, int lastCounter, byte[] target, int at) {
        int counter = lastCounter - packets.size() + 1;
        for (byte[] packet : packets) {
            System.arraycopy(packet, 0, target, at, PACKET_SIZE);
            PacketHeader.setContinuityCounter(target, at, counter++);
            at += PACKET_SIZE;
        }
        return at;
    }

    /** A packet where a PES packet starts, with what is known of the stream after it. */
    private static final class AccessPoint {
        final long seq;
        final int packet;
        final long arrivalNanos;
        long bytes;
        int firstPatCounter = -1;
        int firstPmtCounter = -1;

        AccessPoint(long seq, int packet, long arrivalNanos) {
            this.seq = seq;
            this.packet = packet;
            this.arrivalNanos = arrivalNanos;
        }
    }

    private record WindowEntry(Chunk chunk, long seq) {
    }
}
