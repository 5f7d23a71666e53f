package dev.aceproxy.bench.micro;

import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.internal.TsPacketizer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The packetiser's throughput over the test clip replayed forever. One operation turns one clip's
 * worth of bytes (about 2.1 MB) into chunks; the {@code bytes} counter gives bytes per second.
 * {@code sourceReadSize} is the most a read of the source returns: 65536 for a busy socket,
 * 1500 (not a multiple of 188) for one that delivers a segment at a time, so packets straddle reads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TsPacketizerBenchmark {

    /** The most bytes one read of the source returns. */
    @Param({"65536", "1500"})
    public int sourceReadSize;

    private byte[] clip;
    private TsPacketizer packetizer;

    /** Payload bytes turned into chunks, reported by JMH per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        /** Bytes emitted in chunks. */
        public long bytes;

        /** Clears the count before each iteration. */
        @Setup(Level.Iteration)
        public void clear() {
            bytes = 0;
        }
    }

    /** Opens the packetiser over the endless clip. */
    @Setup(Level.Trial)
    public void open() {
        clip = LoopedClip.bytes();
        packetizer = new TsPacketizer(LoopedClip.endless(clip, sourceReadSize));
    }

    /**
     * Packetises one clip's worth of bytes.
     *
     * @param sink consumes the chunks
     * @param counter counts the bytes
     * @throws IOException never: the source is in memory
     */
    @Benchmark
    public void oneClip(Blackhole sink, Bytes counter) throws IOException {
        long bytes = 0;
        while (bytes < clip.length) {
            Chunk c = packetizer.next();
            sink.consume(c);
            bytes += c.length();
        }
        counter.bytes += bytes;
    }
}
