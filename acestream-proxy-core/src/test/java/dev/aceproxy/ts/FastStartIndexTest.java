package dev.aceproxy.ts;

import dev.aceproxy.ts.internal.FastStartIndex;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FastStartIndexTest {

    private static final int PACKETS_PER_CHUNK = 7;

    private final byte[] clip = Clip.bytes();
    private final List<Integer> keyframes = Clip.keyframePackets(clip);

    @Test
    void theClipHasAKeyframeEverySecond() {
        assertThat(keyframes).hasSize(10);
    }

    @Test
    void startSequenceIsProgramTablesThenTheLatestKeyframe() {
        FastStartIndex index = new FastStartIndex(FastStartPolicy.DEFAULT);
        int fedPackets = observe(index, clip, 4000);

        byte[] start = concat(index.startSequence());

        int latestKeyframe = latestBefore(keyframes, fedPackets);
        assertThat(Clip.pid(start, 0)).isEqualTo(TsPackets.PAT_PID);
        assertThat(Clip.pid(start, 1)).isEqualTo(Clip.PMT_PID);
        assertThat(Clip.pid(start, 2)).isEqualTo(Clip.VIDEO_PID);
        assertThat(Clip.randomAccess(start, 2)).isTrue();
        // After the tables comes the clip itself, from the keyframe's first packet to the last one fed.
        byte[] replay = java.util.Arrays.copyOfRange(start, 2 * 188, start.length);
        assertThat(replay).isEqualTo(java.util.Arrays.copyOfRange(clip, latestKeyframe * 188, fedPackets * 188));
        assertThat(index.keyframes()).isEqualTo(keyframes.stream().filter(k -> k < fedPackets).count());
        assertThat(index.videoPid()).hasValue(Clip.VIDEO_PID);
    }

    @Test
    void copiedTablesContinueTheContinuityCountersOfWhatFollows() {
        FastStartIndex index = new FastStartIndex(FastStartPolicy.DEFAULT);
        int fedPackets = observe(index, clip, 6100);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.writeBytes(concat(index.startSequence()));
        joined.write(clip, fedPackets * 188, clip.length - fedPackets * 188);
        byte[] stream = joined.toByteArray();

        for (int pid : new int[] {TsPackets.PAT_PID, Clip.PMT_PID}) {
            int previous = -1;
            for (int packet = 0; packet < stream.length / 188; packet++) {
                if (Clip.pid(stream, packet) != pid) {
                    continue;
                }
                int counter = Clip.counter(stream, packet);
                if (previous >= 0) {
                    assertThat(counter).as("counter of PID %d at packet %d", pid, packet)
                            .isEqualTo((previous + 1) & 0x0F);
                }
                previous = counter;
            }
        }
    }

    @Test
    void findsKeyframesInTheAccessUnitWhenTheRandomAccessIndicatorIsAbsent() {
        byte[] stripped = Clip.withoutRandomAccessIndicators(clip);
        assertThat(Clip.keyframePackets(stripped)).isEmpty();

        for (int fed : new int[] {1500, 3333, 9000}) {
            FastStartIndex index = new FastStartIndex(FastStartPolicy.DEFAULT);
            int fedPackets = observe(index, stripped, fed);

            byte[] start = concat(index.startSequence());

            int latestKeyframe = latestBefore(keyframes, fedPackets);
            byte[] replay = java.util.Arrays.copyOfRange(start, 2 * 188, start.length);
            assertThat(replay).as("fed %d packets", fedPackets)
                    .isEqualTo(java.util.Arrays.copyOfRange(stripped, latestKeyframe * 188, fedPackets * 188));
        }
    }

    @Test
    void noKeyframeMeansTheLiveEdge() {
        FastStartIndex index = new FastStartIndex(FastStartPolicy.DEFAULT);
        observe(index, clip, keyframes.get(0));

        assertThat(index.startSequence()).isEmpty();
        assertThat(index.hasKeyframe()).isFalse();
        assertThat(index.programTables()).isPresent();
    }

    @Test
    void disabledIndexAlwaysStartsAtTheLiveEdge() {
        FastStartIndex index = new FastStartIndex(FastStartPolicy.DISABLED);
        observe(index, clip, 4000);

        assertThat(index.startSequence()).isEmpty();
    }

    @Test
    void forgetsAKeyframeBeyondTheByteBound() {
        FastStartIndex index = new FastStartIndex(new FastStartPolicy(true, Duration.ofSeconds(3), 100 * 188));
        int fedPackets = observe(index, clip, keyframes.get(2) + 50);
        assertThat(index.startSequence()).as("50 packets after a keyframe").isNotEmpty();

        observe(index, java.util.Arrays.copyOfRange(clip, fedPackets * 188, (fedPackets + 60) * 188), 60);

        assertThat(index.startSequence()).as("110 packets after a keyframe").isEmpty();
    }

    @Test
    void forgetsAKeyframeOlderThanTheWindow() throws InterruptedException {
        FastStartIndex index = new FastStartIndex(new FastStartPolicy(true, Duration.ofMillis(30), 1 << 20));
        int fedPackets = observe(index, clip, keyframes.get(1) + 20);
        assertThat(index.startSequence()).isNotEmpty();

        Thread.sleep(60); // the scenario: the keyframe ages past the 30 ms window on the index's real clock
        observe(index, java.util.Arrays.copyOfRange(clip, fedPackets * 188, (fedPackets + 1) * 188), 1);

        assertThat(index.startSequence()).isEmpty();
    }

    @Test
    void startSequenceRespectsTheCallersBound() {
        FastStartIndex index = new FastStartIndex(FastStartPolicy.DEFAULT);
        observe(index, clip, keyframes.get(3) + 100);

        assertThat(index.startSequence(102 * 188)).isNotEmpty();
        assertThat(index.startSequence(101 * 188)).isEmpty();
    }

    @Test
    void resetForgetsTheWindowButKeepsTheTables() {
        FastStartIndex index = new FastStartIndex(FastStartPolicy.DEFAULT);
        observe(index, clip, 4000);

        index.reset();

        assertThat(index.startSequence()).isEmpty();
        byte[] tables = concat(List.of(index.programTables().orElseThrow()));
        assertThat(tables).hasSize(2 * 188);
        assertThat(Clip.pid(tables, 0)).isEqualTo(TsPackets.PAT_PID);
        assertThat(Clip.pid(tables, 1)).isEqualTo(Clip.PMT_PID);
    }

    @Test
    void aLateJoinerDecodesCleanly(@TempDir Path dir) throws Exception {
        Ffmpeg.assumeAvailable();
        for (byte[] source : List.of(clip, Clip.withoutRandomAccessIndicators(clip))) {
            FastStartIndex index = new FastStartIndex(FastStartPolicy.DEFAULT);
            int fedPackets = observe(index, source, 5432);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            joined.writeBytes(concat(index.startSequence()));
            joined.write(source, fedPackets * 188, source.length - fedPackets * 188);

            assertThat(Ffmpeg.decodeErrors(joined.toByteArray(), dir)).isEmpty();
        }
    }

    @Test
    void joiningMidStreamWithoutFastStartDoesNotDecodeCleanly(@TempDir Path dir) throws Exception {
        Ffmpeg.assumeAvailable();
        int join = keyframes.get(5) + 40;
        byte[] midStream = java.util.Arrays.copyOfRange(clip, join * 188, clip.length);

        // The control for aLateJoinerDecodesCleanly: ffmpeg does report a start mid-GOP.
        assertThat(Ffmpeg.decodeErrors(midStream, dir)).isNotEmpty();
    }

    /** Feeds the first {@code packets} packets in chunks; returns the number fed. */
    private static int observe(FastStartIndex index, byte[] source, int packets) {
        byte[] part = java.util.Arrays.copyOf(source, packets * 188);
        for (Chunk chunk : Clip.chunks(part, PACKETS_PER_CHUNK)) {
            index.observe(chunk);
        }
        return packets;
    }

    private static int latestBefore(List<Integer> positions, int limit) {
        return positions.stream().filter(p -> p < limit).reduce((a, b) -> b).orElseThrow();
    }

    static byte[] concat(List<Chunk> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Chunk chunk : chunks) {
            byte[] bytes = new byte[chunk.length()];
            chunk.copyTo(bytes, 0);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
