package dev.aceproxy.jetty;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.registry.SessionState;
import dev.aceproxy.registry.StreamListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FfmpegDecodeTest {

    private static boolean ffmpegPresent() {
        try {
            Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Cuts before the last random access point on the video PID, so the last frame is whole. */
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

    @Test
    void theProxiedStreamDecodesWithoutErrors() throws Exception {
        assumeTrue(ffmpegPresent(), "ffmpeg is not installed");
        List<String> events = new CopyOnWriteArrayList<>();
        StreamListener listener = new StreamListener() {
            @Override
            public void sessionStateChanged(String key, ContentId content, SessionState from, SessionState to,
                                            String reason) {
                events.add(from + "->" + to + " (" + reason + ")");
            }
        };
        try (ProxyFixture proxy = ProxyFixture.start(b -> b.listener(listener), EndpointOptions.DEFAULT)) {
            HttpResponse<InputStream> response = proxy.http.send(
                    HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "mpegts", "-i", "pipe:0", "-f", "null",
                    "-").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // About 3 s of the 1.7 Mbit/s clip.
            byte[] packets;
            try (InputStream body = response.body(); OutputStream toFfmpeg = ffmpeg.getOutputStream()) {
                packets = body.readNBytes(188 * 3400);
                toFfmpeg.write(packets, 0, beforeLastKeyframe(packets));
            }
            StreamOracle.ofBundledClip().verify(packets, StreamExpectation.fromAnEntryPoint());
            assertThat(ffmpeg.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String errors = new String(ffmpeg.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!errors.isEmpty()) {
                // kept for a look at what the player got
                Files.write(Path.of("target", "ffmpeg-decode-failure.ts"), packets);
            }
            assertThat(errors).as("ffmpeg's errors (session: %s; stream kept in target/ffmpeg-decode-failure.ts)",
                    events).isEmpty();
            assertThat(ffmpeg.exitValue()).isZero();
        }
    }
}
