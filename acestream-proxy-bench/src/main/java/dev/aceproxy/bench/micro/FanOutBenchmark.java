package dev.aceproxy.bench.micro;

import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.fanout.internal.FanOut;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.FastStartPolicy;
import dev.aceproxy.ts.TsPackets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fan-out's cost: one chunk offered to 1, 10, 100 or 1000 writers whose sinks discard, timed
 * until every writer has handed it to its sink. That is the whole per-chunk path of a live stream
 * (offer to every queue, wake every writer's virtual thread, write, flush), without any socket;
 * with {@code handOut}, the sinks write without blocking and the chunk is handed out to each on
 * the writing thread, with no wake-up.
 *
 * <p>{@code oneChunk} is the live case: chunks arrive one at a time and every writer is idle in
 * between, so each chunk pays every wake-up. {@code burstOf16} offers 16 chunks before waiting, as
 * after an engine burst; its score is per chunk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FanOutBenchmark {

    /** 348 packets: about 64 KiB, one socket read of an engine playback. */
    private static final int PACKETS_PER_CHUNK = 348;

    /** How many writers receive each chunk. */
    @Param({"1", "10", "100", "1000"})
    public int writers;

    /**
     * Whether the sinks write without blocking, as the servlet adapter's end point sink does: the
     * fan-out then hands each chunk out on the writing thread instead of waking every writer.
     */
    @Param({"false", "true"})
    public boolean handOut;

    private FanOut fanOut;
    private Delivery delivery;
    private Chunk chunk;
    private long expected;

    /** Starts the writers. */
    @Setup(Level.Trial)
    public void start() {
        byte[] packets = Arrays.copyOf(LoopedClip.bytes(), PACKETS_PER_CHUNK * TsPackets.PACKET_SIZE);
        // Outside the heap already, as the fan-out makes each chunk once per stream: a heap chunk
        // would be copied into fresh native memory on every operation, and that allocation's
        // pace (and the collections it forces) would be timed instead of the fan-out.
        chunk = Chunk.wrap(packets).outsideHeap();
        delivery = new Delivery();
        // Fast start off: every writer starts at the live edge, so only the fan-out is measured.
        // Gathering off: each chunk reaches the queues at once, so only the fan-out itself is timed.
        fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED, CoalescePolicy.DISABLED);
        for (int i = 0; i < writers; i++) {
            fanOut.add(new DiscardingSink(delivery, handOut));
        }
        expected = delivery.total();
    }

    /** Stops the writers. */
    @TearDown(Level.Trial)
    public void stop() {
        fanOut.close();
    }

    /** Offers one chunk and waits until every writer has written it. */
    @Benchmark
    public void oneChunk() {
        expected += (long) chunk.length() * writers;
        fanOut.write(chunk);
        delivery.awaitTotal(expected);
    }

    /** Offers 16 chunks back to back, then waits until every writer has written them all. */
    @Benchmark
    @OperationsPerInvocation(16)
    public void burstOf16() {
        expected += 16L * chunk.length() * writers;
        for (int i = 0; i < 16; i++) {
            fanOut.write(chunk);
        }
        delivery.awaitTotal(expected);
    }
}
