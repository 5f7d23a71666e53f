package dev.aceproxy.bench.micro;

import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.internal.FastStartIndex;
import dev.aceproxy.ts.FastStartPolicy;
import dev.aceproxy.ts.TsPackets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fast-start index's cost on the pump thread: {@code observe} is paid once per chunk read from
 * the engine (the clip's chunks in order, looping), {@code startSequence} once per joining client.
 * {@code packetsPerChunk}: 7 (1316 bytes, a trickling upstream) and 348 (about 64 KiB, one full read).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FastStartIndexBenchmark {

    /** Packets in each observed chunk. */
    @Param({"7", "348"})
    public int packetsPerChunk;

    private Chunk[] chunks;
    private int next;
    private FastStartIndex index;

    /** Cuts the clip into chunks and fills the index with one pass of it. */
    @Setup(Level.Trial)
    public void prepare() {
        byte[] clip = LoopedClip.bytes();
        int size = packetsPerChunk * TsPackets.PACKET_SIZE;
        List<Chunk> cut = new ArrayList<>();
        for (int off = 0; off + size <= clip.length; off += size) {
            cut.add(Chunk.wrap(clip, off, size));
        }
        chunks = cut.toArray(Chunk[]::new);
        index = new FastStartIndex(FastStartPolicy.DEFAULT);
        for (Chunk c : chunks) {
            index.observe(c);
        }
    }

    /** Observes the next chunk of the looping clip. */
    @Benchmark
    public void observe() {
        index.observe(chunks[next]);
        next = next + 1 == chunks.length ? 0 : next + 1;
    }

    /**
     * Builds the start sequence a joining client would get.
     *
     * @return the sequence (returned so that it is not optimised away)
     */
    @Benchmark
    public List<Chunk> startSequence() {
        return index.startSequence();
    }
}
