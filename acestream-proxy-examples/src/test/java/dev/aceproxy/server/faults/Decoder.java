package dev.aceproxy.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs ffmpeg over captured MPEG-TS and asserts it reports no error. */
final class Decoder {

    private Decoder() {
    }

    /**
     * Decodes the bytes a player received after a fault, up to the last keyframe (so the last
     * frame is whole). A player joins mid-stream, so the capture starts wherever the recovery put
     * it: ffmpeg must find the PAT, PMT and a keyframe and decode everything after without error.
     */
    static void assertDecodesCleanly(byte[] packets) throws Exception {
        assertThat(packets.length).as("captured bytes").isGreaterThan(188 * 1000);
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "mpegts", "-i", "pipe:0", "-f", "null", "-")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = ffmpeg.getOutputStream()) {
            in.write(packets, 0, beforeLastKeyframe(packets));
        }
        assertThat(ffmpeg.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String errors = new String(ffmpeg.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(errors).as("ffmpeg's errors").isEmpty();
        assertThat(ffmpeg.exitValue()).isZero();
    }

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
