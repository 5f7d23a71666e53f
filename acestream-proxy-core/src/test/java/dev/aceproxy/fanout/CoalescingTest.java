package dev.aceproxy.fanout;

import dev.aceproxy.fanout.internal.FanOut;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.Clip;
import dev.aceproxy.ts.FastStartPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fan-out gathers a trickling upstream into larger chunks, once per stream. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CoalescingTest {

    private static final int SMALL = 7;
    private final byte[] clip = Arrays.copyOf(Clip.bytes(), 700 * 188);
    private FanOut fanOut;

    @AfterEach
    void close() throws Exception {
        if (fanOut != null) {
            fanOut.close(EndReason.SHUTDOWN, Duration.ofSeconds(1));
        }
        LiveThreads.awaitNone("aceproxy-fanout-flusher-");
        LiveThreads.awaitNone("aceproxy-writer-");
    }

    @Test
    void smallChunksReachClientsGatheredAndUnchanged() {
        fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED,
                new CoalescePolicy(16 * 188, Duration.ofMillis(400)));
        ScriptedSink sink = ScriptedSink.recording();
        fanOut.add(sink);
        List<Chunk> chunks = Clip.chunks(clip, SMALL);
        for (Chunk chunk : chunks) {
            fanOut.write(chunk);
        }
        fanOut.close(EndReason.STREAM_ENDED, Duration.ofSeconds(5));

        assertThat(sink.bytes()).isEqualTo(clip);
        // 100 chunks of 7 packets: the first goes alone, the rest in runs of two (14 of 16 packets).
        assertThat(sink.writes()).isLessThanOrEqualTo(1 + (chunks.size() - 1) / 2 + 1);
    }

    @Test
    void firstChunkIsNotHeldAndHeldBytesGoOutAfterTheDelay() throws Exception {
        fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED,
                new CoalescePolicy(64 * 1024, Duration.ofMillis(500)));
        ScriptedSink sink = ScriptedSink.recording();
        fanOut.add(sink);
        List<Chunk> chunks = Clip.chunks(clip, SMALL);

        fanOut.write(chunks.get(0));
        awaitReceived(sink, chunks.get(0).length(), Duration.ofSeconds(2));

        long heldAt = System.nanoTime();
        fanOut.write(chunks.get(1));
        fanOut.write(chunks.get(2));
        assertThat(sink.awaitReceived(chunks.get(0).length() + 1L, Duration.ofMillis(50)))
                .as("a write while the held bytes are younger than the delay").isFalse();
        assertThat(sink.received()).as("held while younger than the delay").isEqualTo(chunks.get(0).length());
        awaitReceived(sink, chunks.get(0).length() * 3L, Duration.ofSeconds(4));
        assertThat(Duration.ofNanos(System.nanoTime() - heldAt)).isGreaterThanOrEqualTo(Duration.ofMillis(490));
        assertThat(sink.writes()).as("the two held chunks went out as one").isEqualTo(2);
    }

    @Test
    void closeHandsOutTheTail() {
        fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED,
                new CoalescePolicy(64 * 1024, Duration.ofMillis(500)));
        ScriptedSink sink = ScriptedSink.recording();
        fanOut.add(sink);
        List<Chunk> chunks = Clip.chunks(clip, SMALL).subList(0, 5);
        chunks.forEach(fanOut::write);
        fanOut.close(EndReason.STREAM_ENDED, Duration.ofSeconds(5));
        assertThat(sink.bytes()).isEqualTo(Arrays.copyOf(clip, 5 * SMALL * 188));
    }

    @Test
    void upstreamRestartHandsOutHeldBytesAndSendsTheNextChunkAtOnce() throws Exception {
        // "at once" means sooner than the longest hold delay (500 ms), with room for a slow machine
        fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED,
                new CoalescePolicy(64 * 1024, Duration.ofMillis(500)));
        ScriptedSink sink = ScriptedSink.recording();
        fanOut.add(sink);
        List<Chunk> chunks = Clip.chunks(clip, SMALL);
        fanOut.write(chunks.get(0));
        fanOut.write(chunks.get(1));
        fanOut.upstreamRestarted();
        awaitReceived(sink, chunks.get(0).length() * 2L, Duration.ofMillis(450));
        fanOut.write(chunks.get(2));
        awaitReceived(sink, chunks.get(0).length() * 3L, Duration.ofMillis(450));
    }

    @Test
    void disabledPolicyHandsOutEveryChunkAsItComes() throws Exception {
        fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED, CoalescePolicy.DISABLED);
        ScriptedSink sink = ScriptedSink.recording();
        fanOut.add(sink);
        List<Chunk> chunks = Clip.chunks(clip, SMALL).subList(0, 10);
        for (int i = 0; i < chunks.size(); i++) {
            fanOut.write(chunks.get(i));
            awaitReceived(sink, (long) chunks.get(0).length() * (i + 1), Duration.ofSeconds(5));
            assertThat(sink.writes()).as("one write per chunk").isEqualTo(i + 1);
        }
    }

    @Test
    void policyRejectsNonsense() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CoalescePolicy(100, Duration.ofMillis(10)))
                .withMessageContaining("at least one packet");
        assertThatIllegalArgumentException().isThrownBy(() -> new CoalescePolicy(4096, Duration.ofSeconds(1)))
                .withMessageContaining("between 0 and 500 ms");
        assertThat(CoalescePolicy.DISABLED.enabled()).isFalse();
        assertThat(CoalescePolicy.DEFAULT.enabled()).isTrue();
    }

    /** Waits (woken by each write) until the sink has {@code bytes}; fails naming what it has. */
    private static void awaitReceived(ScriptedSink sink, long bytes, Duration timeout) throws InterruptedException {
        if (!sink.awaitReceived(bytes, timeout)) {
            throw new AssertionError("received " + sink.received() + " of " + bytes + " bytes within " + timeout);
        }
    }
}
