package dev.aceproxy.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs ffmpeg over what a player received across an engine fault and asserts it reports no error. */
final class Decoder {

    private static final int PACKET = 188;
    private static final int PAT_PID = 0;
    private static final int VIDEO_PID = 256;
    /** The fake engine starts a new connection at a later pass of its clip: the PCR leaps ahead. */
    private static final double NEW_CONNECTION_PCR_LEAP_SECONDS = 1.0;

    private Decoder() {
    }

    /**
     * Decodes the stream from the recovery on, up to the last keyframe (so the last frame is
     * whole). Bytes that were already on their way when the fault was injected still reach the
     * player after the capture began; a playing decoder continues them, a fresh one cannot, so
     * decoding starts where the engine's new connection begins: at the PAT before its first
     * keyframe. ffmpeg must decode everything from there without error.
     */
    static void assertDecodesCleanly(byte[] packets) throws Exception {
        assertThat(packets.length).as("captured bytes").isGreaterThan(PACKET * 1000);
        int from = recoveryEntryPoint(packets);
        assertThat(from).as("a keyframe after the recovery").isNotNegative();
        int to = beforeLastKeyframe(packets);
        assertThat(to - from).as("bytes after the recovery").isGreaterThan(PACKET * 200);
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "mpegts", "-i", "pipe:0", "-f", "null", "-")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = ffmpeg.getOutputStream()) {
            in.write(packets, from, to - from);
        }
        assertThat(ffmpeg.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String errors = new String(ffmpeg.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(errors).as("ffmpeg's errors").isEmpty();
        assertThat(ffmpeg.exitValue()).isZero();
    }

    /**
     * Tells whether a capture already holds what {@link #assertDecodesCleanly} decodes: the
     * recovery's entry point and 200 packets after it, up to a later keyframe. Bytes that were
     * queued for the player before the fault (up to half its queue, plus socket buffers) reach it
     * after the engine's new connection opened, so a count of bytes received since the reconnect
     * does not say that any of the new connection's bytes have arrived; this does.
     */
    static boolean holdsDecodableRecovery(byte[] packets) {
        if (packets.length <= PACKET * 1000) {
            return false;
        }
        int from = recoveryEntryPoint(packets);
        return from >= 0 && beforeLastKeyframe(packets) - from > PACKET * 200;
    }

    /**
     * The PAT before the first keyframe that follows the PCR leap of the new connection; when the
     * capture holds no leap, it began with the new connection, and the first keyframe counts.
     * Returns -1 when no keyframe follows.
     */
    private static int recoveryEntryPoint(byte[] packets) {
        int leap = 0;
        double previous = -1;
        for (int at = 0; at + PACKET <= packets.length; at += PACKET) {
            double pcr = pcrSeconds(packets, at);
            if (pcr < 0) {
                continue;
            }
            if (previous >= 0 && (pcr - previous > NEW_CONNECTION_PCR_LEAP_SECONDS || pcr < previous)) {
                leap = at;
                break;
            }
            previous = pcr;
        }
        int keyframe = -1;
        for (int at = leap; at + PACKET <= packets.length; at += PACKET) {
            if (isKeyframeStart(packets, at)) {
                keyframe = at;
                break;
            }
        }
        if (keyframe < 0) {
            return -1;
        }
        for (int at = keyframe; at >= 0; at -= PACKET) {
            if (pid(packets, at) == PAT_PID) {
                return at;
            }
        }
        return keyframe;
    }

    private static int beforeLastKeyframe(byte[] packets) {
        for (int at = packets.length - PACKET; at > 0; at -= PACKET) {
            if (isKeyframeStart(packets, at)) {
                return at;
            }
        }
        return packets.length;
    }

    private static boolean isKeyframeStart(byte[] packets, int at) {
        boolean adaptation = (packets[at + 3] & 0x20) != 0;
        return pid(packets, at) == VIDEO_PID && adaptation && (packets[at + 4] & 0xFF) > 0
                && (packets[at + 5] & 0x40) != 0;
    }

    private static int pid(byte[] packets, int at) {
        return ((packets[at + 1] & 0x1F) << 8) | (packets[at + 2] & 0xFF);
    }

    /** The packet's PCR in seconds, or -1 when it carries none. */
    private static double pcrSeconds(byte[] packets, int at) {
        boolean adaptation = (packets[at + 3] & 0x20) != 0;
        if (!adaptation || (packets[at + 4] & 0xFF) < 7 || (packets[at + 5] & 0x10) == 0) {
            return -1;
        }
        long base = ((long) (packets[at + 6] & 0xFF) << 25) | ((packets[at + 7] & 0xFF) << 17)
                | ((packets[at + 8] & 0xFF) << 9) | ((packets[at + 9] & 0xFF) << 1) | ((packets[at + 10] & 0xFF) >> 7);
        return base / 90_000.0;
    }
}
