package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.HlsFixture.MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HlsFfmpegTest {

    @Test
    void ffmpegReadsTheHlsUrlAndDecodesTenSecondsWithoutAnError() throws Exception {
        ExternalTools.require(ExternalTools.runs("ffmpeg", "-version"), "ffmpeg");
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy())) {
            // stderr goes to a file: a reader blocking in the common fork-join pool (one thread on
            // two cores) would starve the registry's and the fake engine's async stages.
            Path stderr = Files.createTempFile("hls-ffmpeg", ".log");
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", f.uri(MANIFEST).toString(),
                    "-t", "10", "-f", "null", "-progress", "pipe:1", "-")
                    .redirectError(stderr.toFile()).start();
            long decodedMicros = 0;
            try (BufferedReader progress = new BufferedReader(
                    new InputStreamReader(ffmpeg.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = progress.readLine()) != null; ) {
                    if (line.startsWith("out_time_us=") && !line.endsWith("N/A")) {
                        decodedMicros = Math.max(decodedMicros, Long.parseLong(line.substring(12)));
                    }
                }
            }
            assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg ends").isTrue();
            String errors = Files.readString(stderr);
            Files.delete(stderr);
            assertThat(errors).as("ffmpeg's errors").isEmpty();
            assertThat(ffmpeg.exitValue()).isZero();
            // -t 10 stops at 10 s of output; the last frame starts a frame before it.
            assertThat(decodedMicros).as("decoded time").isGreaterThanOrEqualTo(9_900_000L);
            assertThat(f.engine.getstreamCalls()).isEqualTo(1);
        }
    }
}
