package dev.aceproxy.fanout.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.Clip;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCoalescerTest {

    private final List<Chunk> sevens = Clip.chunks(Clip.bytes(), 7);
    private final ChunkCoalescer coalescer = new ChunkCoalescer(new CoalescePolicy(20 * 188, Duration.ofMillis(100)));

    @Test
    void holdsUntilTheTargetWouldBeExceeded() {
        assertThat(coalescer.add(sevens.get(0), 0)).isEmpty();
        assertThat(coalescer.add(sevens.get(1), 1)).isEmpty();
        List<Chunk> out = coalescer.add(sevens.get(2), 2);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).packetCount()).isEqualTo(14);
        assertThat(coalescer.deadlineNanos()).isEqualTo(2 + Duration.ofMillis(100).toNanos());
    }

    @Test
    void aLargeChunkPassesThroughAfterWhatWasHeld() {
        Chunk large = Chunk.wrap(concat(sevens.subList(3, 6)));
        coalescer.add(sevens.get(0), 0);
        List<Chunk> out = coalescer.add(large, 1);
        assertThat(out).containsExactly(sevens.get(0), large);
        assertThat(coalescer.isEmpty()).isTrue();
        assertThat(coalescer.deadlineNanos()).isEqualTo(ChunkCoalescer.NO_DEADLINE);
    }

    @Test
    void reachingTheTargetExactlyHandsOut() {
        ChunkCoalescer exact = new ChunkCoalescer(new CoalescePolicy(21 * 188, Duration.ofMillis(100)));
        assertThat(exact.add(sevens.get(0), 0)).isEmpty();
        assertThat(exact.add(sevens.get(1), 0)).isEmpty();
        assertThat(exact.add(sevens.get(2), 0)).singleElement()
                .satisfies(c -> assertThat(c.packetCount()).isEqualTo(21));
    }

    @Test
    void aChunkOfHalfTheTargetPassesThrough() {
        ChunkCoalescer halves = new ChunkCoalescer(new CoalescePolicy(14 * 188, Duration.ofMillis(100)));
        assertThat(halves.add(sevens.get(0), 0)).containsExactly(sevens.get(0));
        assertThat(halves.isEmpty()).isTrue();
    }

    @Test
    void drainMergesInOrderAndASingleChunkIsNotCopied() {
        coalescer.add(sevens.get(0), 0);
        assertThat(coalescer.drain()).isSameAs(sevens.get(0));
        coalescer.add(sevens.get(0), 0);
        coalescer.add(sevens.get(1), 0);
        Chunk merged = coalescer.drain();
        byte[] actual = new byte[merged.length()];
        merged.copyTo(actual, 0);
        assertThat(actual).isEqualTo(concat(sevens.subList(0, 2)));
        assertThat(coalescer.drain()).isNull();
    }

    private static byte[] concat(List<Chunk> chunks) {
        int total = chunks.stream().mapToInt(Chunk::length).sum();
        byte[] out = new byte[total];
        int at = 0;
        for (Chunk c : chunks) {
            c.copyTo(out, at);
            at += c.length();
        }
        return out;
    }
}
