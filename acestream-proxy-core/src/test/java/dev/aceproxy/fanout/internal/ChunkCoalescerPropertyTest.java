package dev.aceproxy.fanout.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.Clip;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever sizes the chunks come in and whenever the held bytes fall due, what the coalescer hands
 * out, concatenated, is its input exactly.
 */
class ChunkCoalescerPropertyTest {

    private static final int P = 188;
    /** 128 KiB: the largest read an engine's socket is seen to return. */
    private static final int MAX_PACKETS = 128 * 1024 / P;
    private static final byte[] CLIP = Clip.bytes();
    private static final CoalescePolicy PRODUCTION = CoalescePolicy.DEFAULT;

    @Test
    void aMidSizedChunkAfterASmallOneKeepsTheOrder() {
        // The case that reordered the stream: 12 KB held, then a read that passes straight
        // through (half the target or more) yet would fit beside it.
        ChunkCoalescer coalescer = new ChunkCoalescer(PRODUCTION);
        int midPackets = PRODUCTION.passThroughBytes() / P + 1;
        assertThat((64 + midPackets) * P).as("the two fit in one gathered chunk").isLessThan(PRODUCTION.targetBytes());
        Chunk small = Chunk.wrap(Arrays.copyOfRange(CLIP, 0, 64 * P));
        Chunk mid = Chunk.wrap(Arrays.copyOfRange(CLIP, 64 * P, (64 + midPackets) * P));
        assertThat(coalescer.add(small, 0)).isEmpty();
        assertThat(coalescer.add(mid, 1)).containsExactly(small, mid);
    }

    @Test
    void outputEqualsInputForThousandsOfSeededSizeSequences() {
        for (long seed = 1; seed <= 3_000; seed++) {
            Random random = new Random(seed);
            CoalescePolicy policy = seed % 3 == 0
                    ? new CoalescePolicy((1 + random.nextInt(700)) * P, Duration.ofMillis(1 + random.nextInt(500)))
                    : PRODUCTION;
            assertThat(runOnce(random, policy)).as("seed %d, %s", seed, policy).isTrue();
        }
    }

    /** Feeds one random sequence; returns whether the output equals the input. */
    private static boolean runOnce(Random random, CoalescePolicy policy) {
        ChunkCoalescer coalescer = new ChunkCoalescer(policy);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int packets = CLIP.length / P;
        int at = random.nextInt(packets);
        int end = Math.min(packets, at + 200 + random.nextInt(4_000));
        int from = at;
        long now = 0;
        while (at < end) {
            int size = Math.min(end - at, randomSize(random));
            Chunk chunk = Chunk.wrap(CLIP, at * P, size * P);
            at += size;
            now += random.nextInt(3) == 0 ? random.nextLong(policy.maxDelay().toNanos() * 2) : random.nextLong(1_000_000);
            if (coalescer.deadlineNanos() <= now) {
                write(out, coalescer.drain());
            }
            for (Chunk ready : coalescer.add(chunk, now)) {
                write(out, ready);
            }
        }
        write(out, coalescer.drain());
        return Arrays.equals(out.toByteArray(), Arrays.copyOfRange(CLIP, from * P, end * P));
    }

    /** Mostly small and mid-sized chunks, some large: every region of the thresholds gets hit. */
    private static int randomSize(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 1 + random.nextInt(8);
            case 1 -> 1 + random.nextInt(100);
            case 2 -> 100 + random.nextInt(250);
            default -> 1 + random.nextInt(MAX_PACKETS);
        };
    }

    private static void write(ByteArrayOutputStream out, Chunk chunk) {
        if (chunk != null) {
            byte[] bytes = new byte[chunk.length()];
            chunk.copyTo(bytes, 0);
            out.writeBytes(bytes);
        }
    }

    @Test
    void theHeldDeadlineIsTheOldestHeldChunks() {
        ChunkCoalescer coalescer = new ChunkCoalescer(PRODUCTION);
        List<Chunk> chunks = Clip.chunks(Arrays.copyOf(CLIP, 30 * P), 10);
        coalescer.add(chunks.get(0), 5);
        coalescer.add(chunks.get(1), 50);
        assertThat(coalescer.deadlineNanos()).isEqualTo(5 + PRODUCTION.maxDelay().toNanos());
    }
}
