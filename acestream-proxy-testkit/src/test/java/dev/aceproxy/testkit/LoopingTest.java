package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.aceproxy.testkit.oracle.StreamCheck;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The looped clip looks like one continuous live stream across loop seams. */
@Timeout(30)
class LoopingTest {

    /** 40 Mbit/s: one 2.1 MB pass of the bundled clip every ~0.43 s. Whole passes, so the last frame is complete. */
    private static final long FAST = 40_000_000;
    private static byte[] threeLoops;

    @BeforeAll
    static void readLoops() throws Exception {
        int clipLength = FakeAceEngine.bundledClip().length;
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(FAST).start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
                assertThat(playback.status()).isEqualTo(200);
                assertThat(playback.head()).containsIgnoringCase("content-type: video/mp2t");
                threeLoops = playback.body().readNBytes(clipLength * 3);
            }
        }
        assertThat(threeLoops).hasSize(FakeAceEngine.bundledClip().length * 3);
    }

    @Test
    void theOracleSeesOneRunAcrossSeamsThoughTimestampsAndCountersAreRewritten() {
        StreamCheck check = StreamOracle.ofBundledClip().verify(threeLoops, StreamExpectation.fromAnEntryPoint());
        assertThat(check.jumps()).isZero();
        assertThat(check.streamPackets() + check.nullPackets()).isEqualTo(threeLoops.length / 188);
        byte[] clip = FakeAceEngine.bundledClip();
        byte[] rawThrice = new byte[clip.length * 3];
        for (int pass = 0; pass < 3; pass++) {
            System.arraycopy(clip, 0, rawThrice, pass * clip.length, clip.length);
        }
        assertThat(threeLoops).as("the loop really rewrites bytes").isNotEqualTo(rawThrice);
    }

    @Test
    void outputIsPacketAlignedWithContinuousCounters() {
        assertThat(TsCheck.allSynced(threeLoops)).isTrue();
        assertThat(TsCheck.continuityBreaks(threeLoops)).isEmpty();
    }

    @Test
    void pcrKeepsRisingAcrossSeams() {
        List<Long> pcrs = TsCheck.pcrs(threeLoops);
        assertThat(pcrs).hasSizeGreaterThan(500).isSorted();
        long perPass = 10_026_000L * 27; // about 10.03 s of 27 MHz ticks
        assertThat(pcrs.getLast() - pcrs.getFirst()).isBetween(perPass * 29 / 10, perPass * 3);
    }

    @Test
    void theUnloopedClipAlreadyBreaksContinuityAtItsSeam() {
        byte[] clip = FakeAceEngine.bundledClip();
        byte[] twice = new byte[clip.length * 2];
        System.arraycopy(clip, 0, twice, 0, clip.length);
        System.arraycopy(clip, 0, twice, clip.length, clip.length);

        assertThat(TsCheck.continuityBreaks(twice)).isNotEmpty();
    }

    @Test
    void ffmpegDecodesTheLoopsWithoutComplaint() throws Exception {
        Path ffmpeg = Path.of("/usr/bin/ffmpeg");
        assumeThat(Files.isExecutable(ffmpeg)).as("ffmpeg is not installed at /usr/bin/ffmpeg; skipping the decode check")
                .isTrue();
        Process process = new ProcessBuilder(ffmpeg.toString(), "-hide_banner", "-nostdin", "-v", "error",
                "-i", "pipe:0", "-f", "null", "-")
                .redirectErrorStream(true)
                .start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread drain = Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        try (OutputStream in = process.getOutputStream()) {
            in.write(threeLoops);
        }
        boolean ended = process.waitFor(20, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        drain.join(5_000);

        assertThat(ended).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(output.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
