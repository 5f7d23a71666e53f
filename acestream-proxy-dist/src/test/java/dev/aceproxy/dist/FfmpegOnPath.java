package dev.aceproxy.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The decoder check: ffmpeg from the test's own PATH (the launcher's PATH has nothing). */
final class FfmpegOnPath {

    private FfmpegOnPath() {
    }

    static Optional<String> find() {
        return Tools.find("ffmpeg");
    }

    /** Feeds the packets to ffmpeg, cut before the last keyframe so the last frame is whole; no error may come out. */
    static void assertDecodesCleanly(String ffmpeg, byte[] packets) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ffmpeg, "-v", "error", "-f", "mpegts", "-i", "pipe:0", "-f", "null", "-")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(packets, 0, beforeLastKeyframe(packets));
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String errors = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!errors.isEmpty()) {
            Files.write(Path.of("target", "dist-demo-decode-failure.ts"), packets);
        }
        assertThat(errors).as("ffmpeg's errors (stream kept in target/dist-demo-decode-failure.ts)").isEmpty();
        assertThat(p.exitValue()).isZero();
    }

    /** The offset of the last random access point on the clip's video PID (256). */
    private static int beforeLastKeyframe(byte[] packets) {
        for (int at = packets.length - 188; at > 0; at -= 188) {
            int pid = ((packets[at + 1] & 0x1F) << 8) | (packets[at + 2] & 0xFF);
            boolean adaptation = (packets[at + 3] & 0x20) != 0;
            if (pid == 256 && adaptation && (packets[at + 4] & 0xFF) > 0 && (packets[at + 5] & 0x40) != 0) {
                return at;
            }
        }
        return packets.length;
    }
}
