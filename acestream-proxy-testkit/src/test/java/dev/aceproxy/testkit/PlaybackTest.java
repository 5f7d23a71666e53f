package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static dev.aceproxy.testkit.EngineCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(15)
class PlaybackTest {

    @Test
    void pacesAtTheConfiguredRate() throws Exception {
        long rate = 800_000; // 100 KB/s
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(rate).writeProfile(WriteProfile.uniform()).start();
                EngineCalls.RawResponse playback = EngineCalls.open(EngineCalls.start(engine, CONTENT).playback())) {
            InputStream body = playback.body();
            body.readNBytes(188); // the clock starts at the first byte
            long bytes = countFor(body, Duration.ofSeconds(3));

            // never faster than the rate; slower only by what a loaded machine's pauses cost
            assertThat(bytes).isBetween(3 * rate / 8 / 2, 3 * rate / 8 * 5 / 4);
        }
    }

    @Test
    void defaultRateIsTheClipsOwn() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            assertThat(engine.bitsPerSecond()).isBetween(1_650_000L, 1_750_000L);
        }
    }

    @Test
    void initialBurstArrivesUnpaced() throws Exception {
        long burst = 400_000;
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(160_000).initialBurst(burst).start();
                EngineCalls.RawResponse playback = EngineCalls.open(EngineCalls.start(engine, CONTENT).playback())) {
            long bytes = countFor(playback.body(), Duration.ofMillis(800));

            // paced alone, 0.8 s at 20 KB/s would be 16 KB
            assertThat(bytes).isBetween(burst, burst + 60_000);
        }
    }

    @Test
    void playbackRedirectAnswers302ToAnotherPathThatStreams() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().playbackRedirect(true).start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            String location;
            try (EngineCalls.RawResponse redirect = EngineCalls.open(session.playback())) {
                assertThat(redirect.status()).isEqualTo(302);
                location = redirect.head().lines().filter(l -> l.startsWith("Location: ")).findFirst().orElseThrow()
                        .substring("Location: ".length());
            }
            assertThat(location).startsWith("http://127.0.0.1:" + engine.port() + "/ace/s/").isNotEqualTo(session.playback().toString());

            try (EngineCalls.RawResponse playback = EngineCalls.open(URI.create(location))) {
                assertThat(playback.status()).isEqualTo(200);
                assertThat(TsCheck.allSynced(playback.body().readNBytes(188 * 20))).isTrue();
            }
            assertThat(engine.playbackOpens()).isEqualTo(1);
        }
    }

    @Test
    void httpClientFollowsTheRedirectToTheStream() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().playbackRedirect(true).start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            HttpResponse<InputStream> response = java.net.http.HttpClient.newBuilder()
                    .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(session.playback()).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("content-type")).hasValue("video/mp2t");
                assertThat(body.readNBytes(188 * 10)).hasSize(1880);
            }
        }
    }

    @Test
    void secondReaderGetsABrokenAnswerWhileTheFirstKeepsStreaming() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(4_000_000).start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            try (EngineCalls.RawResponse first = EngineCalls.open(session.playback())) {
                first.body().readNBytes(188 * 100);

                try (EngineCalls.RawResponse second = EngineCalls.open(session.playback())) {
                    assertThat(second.status()).isEqualTo(200);
                    assertThat(new String(second.body().readAllBytes(), StandardCharsets.ISO_8859_1))
                            .startsWith("HTTP/1.1 200 OK\r\n");
                }
                HttpResponse<byte[]> viaClient = EngineCalls.CLIENT.send(HttpRequest.newBuilder(session.playback()).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(viaClient.body()).isNotEmpty();
                assertThat(viaClient.body()[0]).as("not MPEG-TS").isNotEqualTo((byte) 0x47);

                assertThat(first.body().readNBytes(188 * 1000)).hasSize(188 * 1000);
                assertThat(engine.secondReaderAttempts()).isEqualTo(2);
                assertThat(engine.playbackOpens()).isEqualTo(3);
                assertThat(engine.openPlaybackConnections()).isEqualTo(1);
            }
        }
    }

    @Test
    void aReaderThatLeftFreesTheSessionAndTimestampsMoveOn() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(40_000_000).start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            byte[] firstBytes;
            try (EngineCalls.RawResponse first = EngineCalls.open(session.playback())) {
                firstBytes = first.body().readNBytes(188 * 2000);
            }
            awaitNoPlaybacks(engine); // the engine hands the session over once it has seen the reader go
            try (EngineCalls.RawResponse second = EngineCalls.open(session.playback())) {
                assertThat(second.status()).isEqualTo(200);
                List<Long> before = TsCheck.pcrs(firstBytes);
                List<Long> after = TsCheck.pcrs(second.body().readNBytes(188 * 2000));
                assertThat(after.getFirst()).isGreaterThan(before.getLast());
            }
            assertThat(engine.secondReaderAttempts()).isZero();
        }
    }

    @Test
    void stopEndsTheSessionsPlayback() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
                playback.body().readNBytes(188 * 10);
                assertThat(engine.openPlaybackConnections()).isEqualTo(1);

                assertThat(get(session.stop()).body()).isEqualTo("{\"response\": \"ok\", \"error\": null}");

                assertThat(drainsToEnd(playback.body())).isTrue();
            }
            awaitNoPlaybacks(engine);
            assertThat(engine.openSessions()).isZero();
            assertThat(get(session.playback()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void warmingUpPlaybacksAnswer200AndEndAtOnce() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            engine.warmUpEmptyPlaybacks(2);
            for (int i = 0; i < 2; i++) {
                try (EngineCalls.RawResponse empty = EngineCalls.open(session.playback())) {
                    assertThat(empty.status()).isEqualTo(200);
                    assertThat(empty.body().read()).isEqualTo(-1);
                }
            }
            try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
                assertThat(playback.body().readNBytes(188)).hasSize(188);
            }
            assertThat(engine.playbackOpens()).isEqualTo(3);
        }
    }

    @Test
    void failedStartAnswersStartTimeout() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            engine.failPlaybackStarts(1);

            HttpResponse<String> failed = get(session.playback());

            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("start timeout");
            try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
                assertThat(playback.status()).isEqualTo(200);
            }
        }
    }

    @Test
    void bytesSentCountsWhatReadersGot() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(8_000_000).start()) {
            engine.endPlaybacksAfter(188 * 500);
            EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
            try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
                assertThat(playback.body().readAllBytes()).hasSize(188 * 500);
            }
            assertThat(engine.bytesSent()).isEqualTo(188 * 500);
            assertThat(get(session.stat()).body()).contains("\"downloaded\": " + (188 * 500));
        }
    }

    static long countFor(InputStream in, Duration duration) throws IOException {
        long deadline = System.nanoTime() + duration.toNanos();
        byte[] buffer = new byte[8192];
        long total = 0;
        while (System.nanoTime() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** @return true once the body ends, by EOF or reset */
    static boolean drainsToEnd(InputStream in) {
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) >= 0) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static void awaitNoPlaybacks(FakeAceEngine engine) throws InterruptedException {
        Eventually.within(Duration.ofSeconds(10), "no open playback connection", engine::openPlaybackConnections,
                open -> open == 0);
    }
}
