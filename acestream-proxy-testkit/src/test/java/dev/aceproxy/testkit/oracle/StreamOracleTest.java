package dev.aceproxy.testkit.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.testkit.FakeAceEngine;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The oracle itself: it accepts the source as played and finds every way of breaking it. */
@Timeout(30)
class StreamOracleTest {

    private static final int P = 188;
    private static final byte[] CLIP = FakeAceEngine.bundledClip();
    private static final int PACKETS = CLIP.length / P;
    /** The bundled clip's first keyframe packet (video PID 0x100, random access flag). */
    private static final int FIRST_KEYFRAME = firstKeyframe();

    private final StreamOracle oracle = StreamOracle.ofBundledClip();

    @Test
    void theSourceFollowsItself() {
        StreamCheck check = oracle.verify(CLIP, StreamExpectation.fromAnEntryPoint());
        assertThat(check.segments()).singleElement().satisfies(s -> {
            assertThat(s.sourcePacket()).isZero();
            assertThat(s.cleanEntry()).isTrue();
        });
        assertThat(check.streamPackets() + check.nullPackets()).isEqualTo(PACKETS);
    }

    @Test
    void theLoopIsAllowed() {
        byte[] thrice = packets(0, PACKETS * 3);
        StreamCheck check = oracle.verify(thrice, StreamExpectation.fromAnEntryPoint());
        assertThat(check.jumps()).isZero();
    }

    @Test
    void aCaptureMayStartAnywhereOnlyWhenTheTestSaysSo() {
        byte[] fromTheMiddle = packets(4_001, 9_000);
        assertThat(oracle.verify(fromTheMiddle, StreamExpectation.fromAnywhere()).jumps()).isZero();
        assertThatThrownBy(() -> oracle.verify(fromTheMiddle, StreamExpectation.fromAnEntryPoint()))
                .hasMessageContaining("not the program tables and a keyframe");
    }

    @Test
    void aBlockThatArrivesAfterTheNextOneIsThreeJumps() {
        // The wave-1 defect: a block handed out after the block that follows it.
        byte[] first = packets(0, 1_000);
        byte[] held = packets(1_000, 1_064);
        byte[] next = packets(1_064, 1_256);
        byte[] rest = packets(1_256, 3_000);
        byte[] reordered = concat(first, next, held, rest);
        StreamCheck check = oracle.check(reordered);
        assertThat(check.jumps()).isEqualTo(3);
        assertThatThrownBy(() -> oracle.verify(reordered, StreamExpectation.fromAnEntryPoint()))
                .hasMessageContaining("3 jumps in the stream where 0 are allowed");
        assertThatThrownBy(() -> oracle.verify(reordered, StreamExpectation.fromAnEntryPoint().allowingRecoveries(3)))
                .hasMessageContaining("a jump lands where no decoder can start");
    }

    @Test
    void aSinglePacketSwapIsFound() {
        byte[] swapped = packets(0, 2_000);
        byte[] a = Arrays.copyOfRange(swapped, 700 * P, 701 * P);
        System.arraycopy(swapped, 701 * P, swapped, 700 * P, P);
        System.arraycopy(a, 0, swapped, 701 * P, P);
        assertThat(oracle.check(swapped).jumps()).isPositive();
    }

    @Test
    void aLostByteLeavesThePacketGrid() {
        byte[] stream = packets(0, 500);
        byte[] lost = concat(Arrays.copyOfRange(stream, 0, 300 * P + 17), Arrays.copyOfRange(stream, 300 * P + 18, stream.length));
        assertThatThrownBy(() -> oracle.verify(lost, StreamExpectation.fromAnEntryPoint()))
                .hasMessageContaining("leave the 188-byte packet grid at byte " + 301 * P);
    }

    @Test
    void aTornPacketIsNotInTheSource() {
        byte[] stream = packets(0, 500);
        // The second half of packet 200 replaced by the second half of packet 300: still synced.
        System.arraycopy(stream, 300 * P + 94, stream, 200 * P + 94, 94);
        StreamCheck check = oracle.check(stream);
        assertThat(check.foreignPackets()).containsExactly(200L);
        assertThatThrownBy(() -> oracle.verify(stream, StreamExpectation.fromAnywhere()))
                .hasMessageContaining("1 packets are not in the source");
    }

    @Test
    void keepaliveNullPacketsAnywhereAreAllowed() {
        byte[] nulls = new byte[P * 40];
        for (int i = 0; i < 40; i++) {
            nulls[i * P] = 0x47;
            nulls[i * P + 1] = 0x1F;
            nulls[i * P + 2] = (byte) 0xFF;
            nulls[i * P + 3] = 0x10;
        }
        byte[] withFiller = concat(packets(0, 2_000), nulls, packets(2_000, 4_000));
        StreamCheck check = oracle.verify(withFiller, StreamExpectation.fromAnEntryPoint());
        assertThat(check.nullPackets()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void aLateJoinerStartsWithResentTablesThenAKeyframe() {
        byte[] tables = concat(packetOfPid(0x0000), packetOfPid(0x1000));
        byte[] joiner = concat(tables, packets(FIRST_KEYFRAME, FIRST_KEYFRAME + 3_000));
        StreamCheck check = oracle.verify(joiner, StreamExpectation.fromAnEntryPoint());
        assertThat(check.segments()).singleElement().satisfies(s -> assertThat(s.tablesBefore()).isEqualTo(2));

        byte[] noTables = packets(FIRST_KEYFRAME, FIRST_KEYFRAME + 3_000);
        assertThatThrownBy(() -> oracle.verify(noTables, StreamExpectation.fromAnEntryPoint()))
                .hasMessageContaining("not the program tables and a keyframe");
        byte[] midGop = concat(tables, packets(FIRST_KEYFRAME + 40, FIRST_KEYFRAME + 3_000));
        assertThatThrownBy(() -> oracle.verify(midGop, StreamExpectation.fromAnEntryPoint()))
                .hasMessageContaining("not the program tables and a keyframe");
    }

    @Test
    void aRecoveryMustLandOnTablesAndAKeyframe() {
        byte[] tables = concat(packetOfPid(0x0000), packetOfPid(0x1000));
        byte[] clean = concat(packets(0, 3_000), tables, packets(FIRST_KEYFRAME, FIRST_KEYFRAME + 2_000));
        assertThatThrownBy(() -> oracle.verify(clean, StreamExpectation.fromAnEntryPoint()))
                .hasMessageContaining("1 jumps in the stream where 0 are allowed");
        assertThat(oracle.verify(clean, StreamExpectation.fromAnEntryPoint().allowingRecoveries(1)).jumps()).isEqualTo(1);

        byte[] toTheClipStart = concat(packets(0, 3_000), packets(0, 2_000));
        assertThat(oracle.verify(toTheClipStart, StreamExpectation.fromAnEntryPoint().allowingRecoveries(1)).jumps())
                .isEqualTo(1);

        byte[] toMidGop = concat(packets(0, 3_000), tables, packets(FIRST_KEYFRAME + 40, FIRST_KEYFRAME + 2_000));
        assertThatThrownBy(() -> oracle.verify(toMidGop, StreamExpectation.fromAnEntryPoint().allowingRecoveries(1)))
                .hasMessageContaining("a jump lands where no decoder can start");
    }

    @Test
    void tablesResentWithNoJumpAreReported() {
        byte[] tables = concat(packetOfPid(0x0000), packetOfPid(0x1000));
        byte[] stray = concat(packets(0, 3_000), tables, packets(3_000, 5_000));
        assertThatThrownBy(() -> oracle.verify(stray, StreamExpectation.fromAnEntryPoint()))
                .hasMessageContaining("2 resent table packets came with no jump after them");
    }

    @Test
    void randomReorderingsOfPacketAlignedBlocksAreAlwaysFound() {
        Random random = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int from = random.nextInt(PACKETS);
            int length = 400 + random.nextInt(4_000);
            byte[] stream = packets(from, from + length);
            int a = 1 + random.nextInt(length - 2);
            int b = a + 1 + random.nextInt(Math.min(length - a - 1, 700));
            int c = b + 1 + random.nextInt(Math.max(1, Math.min(length - b, 700)));
            c = Math.min(c, length);
            if (c <= b) {
                continue;
            }
            // [0,a) [b,c) [a,b) [c,length): the block [a,b) arrives after [b,c)
            byte[] reordered = concat(Arrays.copyOfRange(stream, 0, a * P), Arrays.copyOfRange(stream, b * P, c * P),
                    Arrays.copyOfRange(stream, a * P, b * P), Arrays.copyOfRange(stream, c * P, stream.length));
            if (onlyNullsOrIdentical(stream, reordered)) {
                continue;
            }
            assertThat(oracle.check(reordered).jumps()).as("trial %d: from %d, blocks at %d, %d, %d", trial, from, a, b, c)
                    .isPositive();
        }
    }

    @Test
    void theSourceMustBeWholePackets() {
        assertThatThrownBy(() -> StreamOracle.of(new byte[100])).isInstanceOf(IllegalArgumentException.class);
        byte[] unsynced = CLIP.clone();
        unsynced[P * 3] = 0;
        assertThatThrownBy(() -> StreamOracle.of(unsynced)).hasMessageContaining("no sync byte at " + P * 3);
    }

    /** Packets {@code from} (inclusive) to {@code to} (exclusive) of the clip looped, unchanged. */
    static byte[] packets(int from, int to) {
        byte[] out = new byte[(to - from) * P];
        for (int i = from; i < to; i++) {
            System.arraycopy(CLIP, Math.floorMod(i, PACKETS) * P, out, (i - from) * P, P);
        }
        return out;
    }

    private static byte[] packetOfPid(int pid) {
        for (int i = 0; i < PACKETS; i++) {
            if ((((CLIP[i * P + 1] & 0x1F) << 8) | (CLIP[i * P + 2] & 0xFF)) == pid) {
                return Arrays.copyOfRange(CLIP, i * P, (i + 1) * P);
            }
        }
        throw new AssertionError("no packet of pid " + pid);
    }

    private static int firstKeyframe() {
        for (int i = 0; i < PACKETS; i++) {
            int at = i * P;
            int pid = ((CLIP[at + 1] & 0x1F) << 8) | (CLIP[at + 2] & 0xFF);
            boolean rai = (CLIP[at + 3] & 0x20) != 0 && (CLIP[at + 4] & 0xFF) > 0 && (CLIP[at + 5] & 0x40) != 0;
            if (pid == 0x100 && rai && (CLIP[at + 1] & 0x40) != 0) {
                return i;
            }
        }
        throw new AssertionError("no keyframe");
    }

    private static boolean onlyNullsOrIdentical(byte[] a, byte[] b) {
        return Arrays.equals(withoutNulls(a), withoutNulls(b));
    }

    private static byte[] withoutNulls(byte[] stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < stream.length; at += P) {
            if ((((stream[at + 1] & 0x1F) << 8) | (stream[at + 2] & 0xFF)) != 0x1FFF) {
                out.write(stream, at, P);
            }
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
