package dev.aceproxy.hls.internal;

import static dev.aceproxy.ts.TsPackets.PACKET_SIZE;

import dev.aceproxy.fanout.ChunkSink;
import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.hls.Segment;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.internal.PacketHeader;
import dev.aceproxy.ts.internal.ProgramTracker;
import dev.aceproxy.ts.internal.RandomAccessReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cuts one stream into HLS segments as its shared chunks go by, and publishes them to a
 * {@link SegmentWindow}. A segment starts at a keyframe at least the target duration after the
 * previous cut; when the program tables (a PAT then a PMT) come before that keyframe with no video
 * packet between them, the cut is made before the tables, so that the segments' bytes, one after the other, are exactly
 * the stream's bytes. Otherwise the segment starts with a copy of the latest tables. The
 * keyframes and tables are found with the same readers as the fast-start index.
 *
 * <p>A segment is a list of references to the shared chunks (sliced at the cuts), never a copy.
 * Before the first keyframe, and after a new upstream until its first keyframe, only the chunks
 * from the latest possible cut on are kept. A segment that grows past
 * {@link HlsPolicy#maxSegmentBytes()} is dropped, and the next one starts after a discontinuity.
 *
 * <p>Called by one thread, the subscription's writer; {@link #close()} from any thread.
 */
public final class Segmenter implements ChunkSink {

    private static final long PTS_MASK = (1L << 33) - 1;
    private static final long PTS_PER_MILLI = 90;
    /** A keyframe further than this from the segment's start is a timestamp jump, not a duration. */
    private static final long MAX_PLAUSIBLE_MILLIS = 120_000;
    private static final long DEFAULT_FRAME_MILLIS = 40;

    private final HlsPolicy policy;
    private final SegmentWindow window;
    private final Clock clock;
    private final long targetMillis;

    private final ProgramTracker program = new ProgramTracker();

    /** The chunks from the current segment's first packet on (before a segment starts: recent ones). */
    private final ArrayList<Chunk> open = new ArrayList<>();
    /** Number, in this segmenter's count of chunks, of {@code open.get(0)}. */
    private long openBase;
    /** First packet of {@code open.get(0)} that belongs to the segment. */
    private int openFirstPacket;

    private Position tablesAt;
    private boolean tablesWhole;
    private Position candidate;
    private boolean candidateOnTables;
    private long candidatePts = -1;

    private boolean started;
    private Chunk prefix;
    private boolean currentDiscontinuity;
    private long startPts = -1;
    private long startNanos;
    private Instant startAt;
    private long maxOffsetMillis;
    private long lastPts = -1;
    private long frameMillis = DEFAULT_FRAME_MILLIS;

    private boolean discontinuityNext;
    private long nextSequence;
    private Instant nextAt;
    private volatile boolean closed;

    /**
     * Creates a segmenter.
     *
     * @param policy target duration and bounds
     * @param window where segments are published
     * @param clock the clock of the program date-times
     */
    public Segmenter(HlsPolicy policy, SegmentWindow window, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.window = Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.targetMillis = policy.targetDuration().toMillis();
    }

    @Override
    public void write(Chunk chunk) throws IOException {
        if (closed) {
            throw new IOException("the HLS session is closed");
        }
        if (chunk.isEmpty()) {
            return;
        }
        long number = openBase + open.size();
        open.add(chunk);
        ByteBuffer data = chunk.buffer();
        int count = chunk.packetCount();
        for (int index = 0; index < count; index++) {
            int at = index * PACKET_SIZE;
            ProgramTracker.Kind kind = program.kindOf(PacketHeader.pid(data, at));
            switch (kind) {
                case PAT -> {
                    if (PacketHeader.payloadUnitStart(data, at)) {
                        tablesAt = new Position(number, index);
                        tablesWhole = false;
                    }
                    onTable(program.consumeTable(kind, data, at));
                }
                case PMT -> {
                    if (PacketHeader.payloadUnitStart(data, at) && tablesAt != null) {
                        tablesWhole = true;
                    }
                    onTable(program.consumeTable(kind, data, at));
                }
                case VIDEO -> onVideoPacket(data, at, new Position(number, index));
                case OTHER -> {
                    // goes into the segment as it is
                }
            }
        }
        bound();
    }

    @Override
    public void upstreamRestarted() {
        if (closed) {
            return;
        }
        if (started) {
            publish(new Position(openBase + open.size(), 0), maxOffsetMillis + frameMillis);
        }
        started = false;
        prefix = null;
        discontinuityNext = true;
        nextAt = null;
        openBase += open.size();
        open.clear();
        openFirstPacket = 0;
        tablesAt = null;
        candidate = null;
        lastPts = -1;
        program.reset();
    }

    /** Stops taking chunks; idempotent. Published segments stay in the window. */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Bytes referenced by the segment in progress (or kept while waiting for a keyframe).
     *
     * @return the count; read by the writer thread only
     */
    long openBytes() {
        long sum = prefix == null ? 0 : prefix.length();
        for (int i = 0; i < open.size(); i++) {
            sum += open.get(i).length() - (i == 0 ? (long) openFirstPacket * PACKET_SIZE : 0);
        }
        return sum;
    }




    /** A new program map or video stream: a keyframe candidate belongs to the old one. */
    private void onTable(ProgramTracker.Change change) {
        if (change != ProgramTracker.Change.NONE) {
            candidate = null;
        }
    }

    private void onVideoPacket(ByteBuffer data, int at, Position here) {
        boolean unitStart = PacketHeader.payloadUnitStart(data, at);
        RandomAccessReader.Verdict verdict = program.videoReader().consume(data, at);
        if (!unitStart) {
            // Tables followed by the rest of a picture do not start the next segment: the cut
            // would leave that picture's tail out of the segment it belongs to.
            tablesAt = null;
            tablesWhole = false;
            if (verdict == RandomAccessReader.Verdict.PENDING_KEYFRAME && candidate != null) {
                Position cut = candidate;
                candidate = null;
                keyframe(cut, candidateOnTables, candidatePts);
            } else if (verdict == RandomAccessReader.Verdict.NOT_KEYFRAME) {
                candidate = null;
            }
            return;
        }
        boolean onTables = tablesAt != null && tablesWhole;
        Position cut = onTables ? tablesAt : here;
        tablesAt = null;
        tablesWhole = false;
        long pts = presentationTime(data, at);
        notePts(pts);
        switch (verdict) {
            case KEYFRAME -> {
                candidate = null;
                keyframe(cut, onTables, pts);
            }
            case PENDING -> {
                candidate = cut;
                candidateOnTables = onTables;
                candidatePts = pts;
            }
            default -> candidate = null;
        }
    }

    private void notePts(long pts) {
        if (pts < 0) {
            return;
        }
        if (lastPts >= 0) {
            long step = ((pts - lastPts) & PTS_MASK) / PTS_PER_MILLI;
            if (step > 0 && step < 1000) {
                frameMillis = step;
            }
        }
        lastPts = pts;
        if (started && startPts >= 0) {
            long offset = ((pts - startPts) & PTS_MASK) / PTS_PER_MILLI;
            if (offset < MAX_PLAUSIBLE_MILLIS) {
                maxOffsetMillis = Math.max(maxOffsetMillis, offset);
            }
        }
    }

    private void keyframe(Position cut, boolean onTables, long pts) {
        if (!started) {
            start(cut, onTables, pts);
            return;
        }
        long elapsed = -1;
        if (pts >= 0 && startPts >= 0) {
            elapsed = ((pts - startPts) & PTS_MASK) / PTS_PER_MILLI;
        }
        boolean jump = elapsed < 0 || elapsed > MAX_PLAUSIBLE_MILLIS;
        if (jump) {
            // No usable timestamps: the time the bytes took to arrive stands in, and players are
            // told that the timeline broke.
            elapsed = (System.nanoTime() - startNanos) / 1_000_000;
        }
        if (elapsed >= targetMillis || jump) {
            publish(cut, elapsed);
            discontinuityNext |= jump;
            start(cut, onTables, pts);
        }
    }

    private void start(Position cut, boolean onTables, long pts) {
        dropBefore(cut);
        started = true;
        currentDiscontinuity = discontinuityNext && nextSequence > 0;
        discontinuityNext = false;
        prefix = onTables ? null : program.tablesChunk();
        startPts = pts;
        startNanos = System.nanoTime();
        maxOffsetMillis = 0;
        startAt = !currentDiscontinuity && nextAt != null ? nextAt : clock.instant();
    }

    /** Publishes the segment in progress, up to (not including) {@code end}. */
    private void publish(Position end, long durationMillis) {
        List<Chunk> chunks = new ArrayList<>(open.size() + 1);
        long length = 0;
        if (prefix != null) {
            chunks.add(prefix);
            length += prefix.length();
        }
        for (int i = 0; i < open.size(); i++) {
            long number = openBase + i;
            if (number > end.chunk || (number == end.chunk && end.packet == 0)) {
                break;
            }
            Chunk c = open.get(i);
            int from = i == 0 ? openFirstPacket : 0;
            int to = number == end.chunk ? end.packet : c.packetCount();
            if (to > from) {
                Chunk part = c.slice(from, to);
                chunks.add(part);
                length += part.length();
            }
        }
        Segment segment = new Segment(nextSequence++, durationMillis, startAt, currentDiscontinuity, chunks, length);
        nextAt = startAt.plusMillis(durationMillis);
        window.publish(segment);
        started = false;
    }

    /** Forgets the chunks before {@code cut}; the segment in progress (if any) then starts there. */
    private void dropBefore(Position cut) {
        int drop = (int) Math.min(open.size(), Math.max(0, cut.chunk - openBase));
        if (drop > 0) {
            open.subList(0, drop).clear();
            openBase += drop;
            openFirstPacket = 0;
        }
        if (cut.chunk == openBase) {
            openFirstPacket = Math.max(openFirstPacket, cut.packet);
        }
    }

    /** Keeps memory bounded: a segment too large is dropped; before a segment, only what a cut may need. */
    private void bound() {
        if (started && openBytes() > policy.maxSegmentBytes()) {
            started = false;
            prefix = null;
            discontinuityNext = true;
        }
        if (!started) {
            long keepFrom = openBase + open.size() - 1;
            if (tablesAt != null) {
                keepFrom = Math.min(keepFrom, tablesAt.chunk);
            }
            if (candidate != null) {
                keepFrom = Math.min(keepFrom, candidate.chunk);
            }
            if (keepFrom > openBase) {
                dropBefore(new Position(keepFrom, 0));
            }
            if (openBytes() > policy.maxSegmentBytes()) {
                // Nothing found in a whole segment's worth: start over from the next chunk.
                openBase += open.size();
                open.clear();
                openFirstPacket = 0;
                tablesAt = null;
                candidate = null;
            }
        }
    }


    /** The PTS of the PES packet this packet starts, in 90 kHz units, or -1. */
    static long presentationTime(ByteBuffer data, int at) {
        int p = PacketHeader.payloadStart(data, at);
        if (p < 0 || p + 14 > at + PACKET_SIZE) {
            return -1;
        }
        if (data.get(p) != 0 || data.get(p + 1) != 0 || data.get(p + 2) != 1) {
            return -1;
        }
        if ((data.get(p + 7) & 0x80) == 0) {
            return -1;
        }
        long b9 = data.get(p + 9) & 0xFF;
        long b10 = data.get(p + 10) & 0xFF;
        long b11 = data.get(p + 11) & 0xFF;
        long b12 = data.get(p + 12) & 0xFF;
        long b13 = data.get(p + 13) & 0xFF;
        return ((b9 >> 1) & 0x07) << 30 | b10 << 22 | (b11 >> 1) << 15 | b12 << 7 | b13 >> 1;
    }

    /** A packet: the chunk's number in this segmenter's count, and the packet's index in it. */
    private record Position(long chunk, int packet) {
    }
}
