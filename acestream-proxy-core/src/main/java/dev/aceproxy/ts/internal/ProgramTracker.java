package dev.aceproxy.ts.internal;

import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.TsPackets;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Follows a stream's program: the program association table names the program map's PID, the
 * program map names the video stream, and a {@link RandomAccessReader} for that stream's type
 * finds its keyframes. Keeps the latest PAT and PMT as received, packet by packet, for whoever must
 * resend them. The one place that tracks the program for the fast-start index and the HLS
 * segmenter.
 *
 * <p>Not thread-safe: its owner feeds it from one thread, in stream order.
 */
public final class ProgramTracker {

    /** What a packet carries, by its PID. */
    public enum Kind {
        /** The program association table. */
        PAT,
        /** The program map table of the program followed. */
        PMT,
        /** The program's video stream. */
        VIDEO,
        /** Anything else. */
        OTHER
    }

    /** What a table packet changed. */
    public enum Change {
        /** Nothing the owner must act on. */
        NONE,
        /** The PAT named another program map: the video stream is unknown until its PMT comes. */
        PROGRAM_MAP_MOVED,
        /** The PMT named another video stream (or none). */
        VIDEO_CHANGED
    }

    private final BitReader bits = new BitReader();
    private final SectionAssembler patAssembler = new SectionAssembler();
    private final SectionAssembler pmtAssembler = new SectionAssembler();
    private int pmtPid = -1;
    private ProgramTables.VideoStream video;
    private RandomAccessReader videoReader;
    private List<byte[]> patPackets;
    private List<byte[]> pmtPackets;

    /**
     * Tells what a packet of {@code pid} carries.
     *
     * @param pid the packet's PID
     * @return its kind
     */
    public Kind kindOf(int pid) {
        if (pid == TsPackets.PAT_PID) {
            return Kind.PAT;
        }
        if (pid == pmtPid) {
            return Kind.PMT;
        }
        return video != null && pid == video.pid() ? Kind.VIDEO : Kind.OTHER;
    }

    /**
     * Reads a PAT or PMT packet into its table.
     *
     * @param kind {@link Kind#PAT} or {@link Kind#PMT}, as {@link #kindOf} said
     * @param data the chunk's bytes
     * @param at the packet's offset
     * @return what the packet changed, once its section is complete
     */
    public Change consumeTable(Kind kind, ByteBuffer data, int at) {
        if (kind == Kind.PAT) {
            return patAssembler.consume(data, at) ? onProgramAssociation() : Change.NONE;
        }
        return pmtAssembler.consume(data, at) ? onProgramMap() : Change.NONE;
    }

    private Change onProgramAssociation() {
        int pid = ProgramTables.firstProgramMapPid(patAssembler.section(), bits);
        if (pid < 0) {
            return Change.NONE;
        }
        patPackets = patAssembler.packets();
        if (pid == pmtPid) {
            return Change.NONE;
        }
        pmtPid = pid;
        pmtAssembler.reset();
        pmtPackets = null;
        changeVideo(null);
        return Change.PROGRAM_MAP_MOVED;
    }

    private Change onProgramMap() {
        ProgramTables.VideoStream found = ProgramTables.firstVideoStream(pmtAssembler.section(), bits);
        pmtPackets = pmtAssembler.packets();
        if (Objects.equals(found, video)) {
            return Change.NONE;
        }
        changeVideo(found);
        return Change.VIDEO_CHANGED;
    }

    private void changeVideo(ProgramTables.VideoStream stream) {
        video = stream;
        videoReader = stream == null ? null : new RandomAccessReader(stream.streamType());
    }

    /**
     * Returns the reader of the video stream's access units.
     *
     * @return the reader, or null while no video stream is known
     */
    public RandomAccessReader videoReader() {
        return videoReader;
    }

    /**
     * Returns the video stream the latest PMT names.
     *
     * @return the stream, or null while none is known
     */
    public ProgramTables.VideoStream video() {
        return video;
    }

    /**
     * Returns the latest complete PAT, as the packets it came in.
     *
     * @return the packets, or null before the first PAT
     */
    public List<byte[]> patPackets() {
        return patPackets;
    }

    /**
     * Returns the latest complete PMT of the program followed, as the packets it came in.
     *
     * @return the packets, or null before its first PMT
     */
    public List<byte[]> pmtPackets() {
        return pmtPackets;
    }

    /**
     * Returns the latest PAT and PMT, as they were received, as one chunk: what a player needs to
     * decode again after the upstream was replaced, or before a segment.
     *
     * @return the tables, or null until both have been seen
     */
    public Chunk tablesChunk() {
        if (patPackets == null || pmtPackets == null) {
            return null;
        }
        int size = TsPackets.PACKET_SIZE;
        byte[] bytes = new byte[(patPackets.size() + pmtPackets.size()) * size];
        int at = 0;
        for (byte[] packet : patPackets) {
            System.arraycopy(packet, 0, bytes, at, size);
            at += size;
        }
        for (byte[] packet : pmtPackets) {
            System.arraycopy(packet, 0, bytes, at, size);
            at += size;
        }
        return Chunk.wrap(bytes);
    }

    /**
     * Forgets any section and access unit in progress, for a new upstream; keeps the tables and
     * the PIDs they name.
     */
    public void reset() {
        patAssembler.reset();
        pmtAssembler.reset();
        if (videoReader != null) {
            videoReader.reset();
        }
    }
}
