package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How playbacks are cut into socket writes, seen by raw socket readers. */
@Timeout(30)
class WriteProfileTest {

    @Test
    void theDefaultIsRaggedWritesAfterAOneMebibyteBurst() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
                EngineCalls.RawResponse playback = EngineCalls.open(EngineCalls.start(engine, CONTENT).playback())) {
            assertThat(engine.writeProfile()).isEqualTo(WriteProfile.DEFAULT);
            assertThat(WriteProfile.DEFAULT.sizes()).isEqualTo(WriteProfile.Sizes.RAGGED);
            assertThat(WriteProfile.DEFAULT.burstBytes()).isEqualTo(1L << 20);
            long started = System.nanoTime();

            byte[] burst = playback.body().readNBytes(1 << 20);

            // paced at the clip's 1.7 Mbit/s, 1 MiB would take about 5 s
            assertThat(burst).hasSize(1 << 20);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2500));
        }
    }

    @Test
    void aRaggedPlaybackIsReadInManySizesMostlyNotWholePackets() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(8_000_000)
                        .writeProfile(WriteProfile.ragged(42)).start();
                EngineCalls.RawResponse playback = EngineCalls.open(EngineCalls.start(engine, CONTENT).playback())) {
            List<Integer> reads = readSizes(playback.body(), Duration.ofSeconds(2));

            assertThat(reads).hasSizeGreaterThan(20);
            assertThat(reads.stream().distinct().count()).isGreaterThan(15);
            assertThat(reads.stream().filter(n -> n % 188 != 0).count()).isGreaterThan(reads.size() * 3L / 4);
            assertThat(reads.stream().filter(n -> n < 188).count()).as("tiny reads").isPositive();
            assertThat(reads.stream().filter(n -> n > 16 * 1024).count()).as("large reads").isPositive();
        }
    }

    @Test
    void aUniformPlaybackIsReadInWholePackets() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(8_000_000)
                        .writeProfile(WriteProfile.uniform()).start();
                EngineCalls.RawResponse playback = EngineCalls.open(EngineCalls.start(engine, CONTENT).playback())) {
            List<Integer> reads = readSizes(playback.body(), Duration.ofSeconds(1));

            // the contrast to the ragged case: the neat writes the default no longer makes
            assertThat(reads).hasSizeGreaterThan(20).allMatch(n -> n % 188 == 0);
        }
    }

    @Test
    void raggedBytesAreTheUniformBytesPacketForPacket() throws Exception {
        int length = 3 * FakeAceEngine.bundledClip().length + 12_345;
        byte[] ragged = readFrom(FakeAceEngine.builder().bitrate(40_000_000)
                .writeProfile(WriteProfile.ragged(7).withBurst(1 << 20)), length);
        byte[] uniform = readFrom(FakeAceEngine.builder().bitrate(40_000_000)
                .writeProfile(WriteProfile.uniform()), length);

        assertThat(TsCheck.pcrs(ragged).getFirst()).as("both start at the same pass").isEqualTo(TsCheck.pcrs(uniform).getFirst());
        assertThat(ragged).isEqualTo(uniform);
        assertThat(TsCheck.continuityBreaks(ragged)).isEmpty();
    }

    @Test
    void raggedWritesAverageTheBitrate() throws Exception {
        long rate = 8_000_000; // 1 MB/s
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(rate).writeProfile(WriteProfile.ragged(3)).start();
                EngineCalls.RawResponse playback = EngineCalls.open(EngineCalls.start(engine, CONTENT).playback())) {
            InputStream body = playback.body();
            body.readNBytes(1); // the clock starts at the first byte
            long bytes = PlaybackTest.countFor(body, Duration.ofSeconds(3));

            // each write goes when its last byte is due, so never ahead of the rate by more than a
            // write; slower only by what a loaded machine's pauses cost
            assertThat(bytes).isBetween(3 * rate / 8 / 2, 3 * rate / 8 * 5 / 4 + WriteProfile.RAGGED_MAX_WRITE_BYTES);
        }
    }

    @Test
    void aBurstyPlaybackSendsItsBurstAtOnceThenPaces() throws Exception {
        long burst = 300_000;
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(160_000)
                        .writeProfile(WriteProfile.bursty(burst)).start();
                EngineCalls.RawResponse playback = EngineCalls.open(EngineCalls.start(engine, CONTENT).playback())) {
            long bytes = PlaybackTest.countFor(playback.body(), Duration.ofMillis(800));

            // paced alone, 0.8 s at 20 KB/s is 16 KB
            assertThat(bytes).isBetween(burst, burst + 40_000);
        }
    }

    @Test
    void aTricklePlaybackComesInSmallReads() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().writeProfile(WriteProfile.trickle()).start();
                EngineCalls.RawResponse playback = EngineCalls.open(EngineCalls.start(engine, CONTENT).playback())) {
            List<Integer> reads = readSizes(playback.body(), Duration.ofSeconds(1));

            // about 200 writes of 100 B to 2 KiB at 1.7 Mbit/s; a reader held up now and then reads two at once
            assertThat(reads).hasSizeGreaterThan(80);
            assertThat(reads.stream().filter(n -> n <= WriteProfile.TRICKLE_MAX_WRITE_BYTES).count())
                    .isGreaterThan(reads.size() * 8L / 10);
            assertThat(reads.stream().filter(n -> n % 188 != 0).count()).isGreaterThan(reads.size() / 2L);
        }
    }

    @Test
    void initialBurstSetsTheProfilesBurstWhicheverComesFirst() throws Exception {
        try (FakeAceEngine before = FakeAceEngine.builder().initialBurst(5_000).writeProfile(WriteProfile.trickle(9)).start();
                FakeAceEngine after = FakeAceEngine.builder().writeProfile(WriteProfile.trickle(9)).initialBurst(5_000).start();
                FakeAceEngine untouched = FakeAceEngine.builder().writeProfile(WriteProfile.ragged(9)).start()) {
            assertThat(before.writeProfile()).isEqualTo(WriteProfile.trickle(9).withBurst(5_000));
            assertThat(after.writeProfile()).isEqualTo(WriteProfile.trickle(9).withBurst(5_000));
            assertThat(untouched.writeProfile().burstBytes()).isZero();
        }
    }

    @Test
    void profilesValidate() {
        assertThatThrownBy(() -> new WriteProfile(null, 1, 0, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WriteProfile.bursty(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WriteProfile.ragged(1).withBurst(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeAceEngine.builder().writeProfile(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> WriteProfile.fixed(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WriteProfile.fixed(WriteProfile.RAGGED_MAX_WRITE_BYTES + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WriteProfile(WriteProfile.Sizes.RAGGED, 1, 0, 100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(WriteProfile.fixed(12_032).withBurst(5).fixedBytes()).isEqualTo(12_032);
        assertThat(WriteProfile.DEFAULT).isEqualTo(WriteProfile.ragged(WriteProfile.DEFAULT_SEED)
                .withBurst(WriteProfile.DEFAULT_BURST_BYTES));
    }

    private static byte[] readFrom(FakeAceEngine.Builder builder, int length) throws Exception {
        try (FakeAceEngine engine = builder.start();
                EngineCalls.RawResponse playback = EngineCalls.open(EngineCalls.start(engine, CONTENT).playback())) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[200_000];
            while (received.size() < length) {
                int n = playback.body().read(buffer, 0, Math.min(buffer.length, length - received.size()));
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
            }
            return received.toByteArray();
        }
    }

    /** @return the size of every read for {@code duration} after the first byte, with a buffer larger than any write */
    private static List<Integer> readSizes(InputStream in, Duration duration) throws IOException {
        byte[] buffer = new byte[WriteProfile.RAGGED_MAX_WRITE_BYTES * 2];
        List<Integer> sizes = new ArrayList<>();
        long deadline = 0;
        while (deadline == 0 || System.nanoTime() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + duration.toNanos();
            }
            sizes.add(n);
        }
        return sizes;
    }
}
