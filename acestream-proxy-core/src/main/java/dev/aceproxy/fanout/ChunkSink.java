package dev.aceproxy.fanout;

import dev.aceproxy.ts.Chunk;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A sink that takes the shared chunks themselves instead of a view of their bytes, and may keep
 * them: chunks are immutable, so holding one costs a reference, never a copy. It also hears, in
 * stream order, when a new upstream replaced the old one. Used by consumers that index the stream
 * rather than send it on, such as an HLS segmenter. Called from the client's writer thread, as
 * {@link ClientSink}.
 */
public interface ChunkSink extends ClientSink {

    /**
     * Takes the next chunk of the stream; must not block for long.
     *
     * @param chunk whole packets, immutable and shared; may be kept
     * @throws IOException if the sink can take no more; this ends only this client
     */
    void write(Chunk chunk) throws IOException;

    /**
     * Tells that the chunks from now on come from a new upstream (a reconnect, a new engine
     * session or a failover): timestamps and continuity may jump. Does nothing by default.
     *
     * @throws IOException if the sink can take no more
     */
    default void upstreamRestarted() throws IOException {
    }

    /**
     * Copies the packets into a chunk of their own and hands it to {@link #write(Chunk)}; the
     * fan-out itself always calls {@link #write(Chunk)}.
     *
     * @param packets whole transport stream packets, read-only
     * @throws IOException as {@link #write(Chunk)}
     */
    @Override
    default void write(ByteBuffer packets) throws IOException {
        byte[] copy = new byte[packets.remaining()];
        packets.get(copy);
        write(Chunk.wrap(copy));
    }
}
