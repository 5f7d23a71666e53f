package dev.aceproxy.server.faults;

import static dev.aceproxy.server.faults.FaultRig.ID_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.registry.SessionState;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.server.ReferenceServer;
import dev.aceproxy.server.SettingsParser;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What media servers and players do to a stream url, reproduced on the wire against the reference
 * server with its production defaults (linger 10 s, no-data timeout 15 s, fast start on) and the
 * fake engine with its defaults (ragged writes after a 1 MiB burst). See docs/media-servers.md.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MediaServerClientsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long after its probe the media server opens the playback, here. */
    private static final Duration PROBE_TO_PLAYBACK = Duration.ofSeconds(2);

    @Test
    void jellyfinsHeadGetsMpegTsAndStartsNoEngineSession() throws Exception {
        withServer((engine, server, port) -> {
            for (String target : List.of("/ace/getstream?id=" + ID_A, "/ace/getstream/?id=" + ID_A,
                    "/ace/getstream?infohash=" + ID_A)) {
                String head = head(port, target);
                assertThat(head).as(target).startsWith("HTTP/1.1 200 ");
                assertThat(header(head, "Content-Type")).as(target).isEqualTo("video/mp2t");
            }
            assertThat(engine.getstreamCalls()).as("HEAD never reaches the engine").isZero();
            assertThat(engine.sessionsStarted()).isZero();
            assertThat(engine.playbackOpens()).isZero();
            assertThat(server.registry().status().sessions()).as("no session, not even lingering").isEmpty();

            // The GET that follows the HEAD plays as usual.
            try (SocketPlayer player = SocketPlayer.open(port, "/ace/getstream?id=" + ID_A)) {
                player.receives(188 * 2000, WAIT);
                player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            }
            assertThat(engine.getstreamCalls()).isEqualTo(1);
        });
    }

    @Test
    void aProbeThatReads120KbAndLeavesHandsItsEngineSessionToThePlaybackThatFollows() throws Exception {
        withServer((engine, server, port) -> {
            try (SocketPlayer probe = SocketPlayer.open(port, "/ace/getstream?id=" + ID_A)) {
                probe.receives(120 * 1024, WAIT);
                probe.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            }
            Eventually.within(WAIT, "the session lingers once the probe left", () -> lingering(server));
            // The media server opens the playback a moment after its probe; 2 s stands for that
            // gap (not a check of anything: the counts below are). The linger must cover it: with
            // --linger 0s this test fails, since the session is gone by then.
            Thread.sleep(PROBE_TO_PLAYBACK.toMillis());
            assertThat(lingering(server)).as("still lingering when the playback comes").isTrue();
            // From now the engine sends nothing: whatever the playback gets at once, the proxy
            // already held. A session that had to start again would get nothing (new playbacks
            // stall too: the playback's head would not even come) and would show as a second
            // getstream.
            engine.stallPlaybacks(Duration.ofSeconds(60));
            try (SocketPlayer playback = SocketPlayer.open(port, "/ace/getstream?id=" + ID_A)) {
                Eventually.within(WAIT, "the playback's first packets, while the engine sends nothing",
                        () -> playback.packets() - playback.nullPackets() >= 3);
                StreamOracle.ofBundledClip().verify(playback.received(), StreamExpectation.fromAnEntryPoint());
                assertThat(engine.getstreamCalls()).as("the probe's engine session was reused").isEqualTo(1);
                assertThat(engine.playbackOpens()).isEqualTo(1);
                assertThat(engine.stopCalls()).isZero();

                engine.stallPlaybacks(Duration.ZERO);
                playback.receives(188 * 2000, WAIT);
                playback.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            }
            assertThat(engine.getstreamCalls()).isEqualTo(1);
            assertThat(engine.secondReaderAttempts()).isZero();
        });
    }

    @Test
    void oneUrlOpenedTwiceAtOnceLikeVlcPlaysOnBothConnections() throws Exception {
        withServer((engine, server, port) -> {
            CountDownLatch go = new CountDownLatch(1);
            List<SocketPlayer> players = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                CompletableFuture<SocketPlayer> first = open(threads, go, port);
                CompletableFuture<SocketPlayer> second = open(threads, go, port);
                go.countDown();
                try {
                    players.add(first.get(20, TimeUnit.SECONDS));
                    players.add(second.get(20, TimeUnit.SECONDS));
                    for (SocketPlayer p : players) {
                        p.receives(188 * 4000, WAIT);
                    }
                    for (SocketPlayer p : players) {
                        p.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
                    }
                    assertThat(engine.getstreamCalls()).isEqualTo(1);
                    assertThat(engine.playbackOpens()).isEqualTo(1);
                    assertThat(engine.secondReaderAttempts()).isZero();
                    assertThat(server.registry().status().sessions().get(0).clients()).hasSize(2);
                } finally {
                    for (CompletableFuture<SocketPlayer> opened : List.of(first, second)) {
                        SocketPlayer p = opened.getNow(null);
                        if (p != null) {
                            p.close();
                        }
                    }
                }
            }
        });
    }

    @Test
    void ffprobeThenFfmpegTheToolsMediaServersRunShareOneEngineSession() throws Exception {
        requireFfmpeg();
        withServer((engine, server, port) -> {
            String url = "http://127.0.0.1:" + port + "/ace/getstream?id=" + ID_A;
            // Jellyfin and Emby probe a new stream with ffprobe, then play it with ffmpeg.
            Run probe = run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", url);
            assertThat(probe.errors()).as("ffprobe's errors").isEmpty();
            assertThat(probe.exit()).isZero();
            assertThat(probe.output().lines().map(String::strip).toList()).contains("h264", "aac");
            Run play = run("ffmpeg", "-v", "error", "-i", url, "-t", "3", "-f", "null", "-");
            assertThat(play.errors()).as("ffmpeg's errors").isEmpty();
            assertThat(play.exit()).isZero();
            assertThat(engine.getstreamCalls()).as("the probe's engine session served the playback").isEqualTo(1);
            assertThat(engine.playbackOpens()).isEqualTo(1);
            assertThat(engine.secondReaderAttempts()).isZero();
        });
    }

    private record Run(int exit, String output, String errors) {
    }

    /** Runs a tool to its end (at most 60 s) and returns its exit code, output and errors. */
    private static Run run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        // Not on the common pool: a blocked common pool stalls the proxy's getstream calls (see the
        // report of issue 15), and this test is not about that.
        CompletableFuture<String> errors = new CompletableFuture<>();
        Thread.ofPlatform().name("tool-stderr").start(() -> errors.complete(readAll(process.getErrorStream())));
        String output = readAll(process.getInputStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
        }
        return new Run(process.exitValue(), output, errors.get(10, TimeUnit.SECONDS));
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** ffmpeg and ffprobe: locally their absence skips the test, in CI it fails it (.ci/run installs them). */
    private static void requireFfmpeg() {
        boolean present;
        try {
            present = run("ffmpeg", "-version").exit() == 0 && run("ffprobe", "-version").exit() == 0;
        } catch (Exception e) {
            present = false;
        }
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("ffmpeg/ffprobe are missing, and CI must run this test (.ci/run installs them)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "ffmpeg/ffprobe are not installed");
    }

    /** A test's body, given the fake engine, the server and the server's port. */
    private interface Body {
        void run(FakeAceEngine engine, ReferenceServer server, int port) throws Exception;
    }

    /**
     * Runs {@code body} against a fresh engine and reference server, then closes the server and
     * checks that every engine session it started was stopped.
     */
    private static void withServer(Body body) throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            try (ReferenceServer server = start(engine)) {
                body.run(engine, server, server.baseUri().getPort());
            }
            assertThat(engine.sessionsOutstanding()).as("the server stopped what it started").isZero();
        }
    }

    private static CompletableFuture<SocketPlayer> open(ExecutorService threads, CountDownLatch go, int port) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                go.await();
                return SocketPlayer.open(port, "/ace/getstream?id=" + ID_A);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    private static boolean lingering(ReferenceServer server) {
        List<SessionStatus> sessions = server.registry().status().sessions();
        return sessions.size() == 1 && sessions.get(0).state() == SessionState.LINGERING;
    }

    /** The reference server as a user runs it: production defaults, only the engine named. */
    private static ReferenceServer start(FakeAceEngine engine) throws Exception {
        return ReferenceServer.start(SettingsParser.parse(List.of("--listen", "127.0.0.1:0", "--engine",
                engine.baseUri().toString()), Map.of()).settings());
    }

    /** Sends {@code HEAD target} as Jellyfin's tuner does and returns the answer's head. */
    private static String head(int port, String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("HEAD " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "User-Agent: Jellyfin-Server/10.10.3\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String head = SocketPlayer.readHead(in);
            assertThat(in.read()).as("HEAD has no body").isEqualTo(-1);
            return head;
        }
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
