package dev.aceproxy.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution tarball as an operator gets it: extracted, then run through
 * {@code bin/acestream-proxy} with no {@code java} on {@code PATH} and no {@code JAVA_HOME}. The
 * demo must serve a stream that follows the source byte for byte and that ffmpeg decodes without
 * an error; {@code --version} and {@code healthcheck} must answer as documented.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherDistIT {

    private static final Pattern URL_LINE = Pattern.compile("(http://127\\.0\\.0\\.1:(\\d+)/ace/getstream\\S*)");
    private static final long MAX_TARBALL_BYTES = 40L << 20;

    @TempDir
    static Path dir;
    static Distribution dist;

    @BeforeAll
    static void extract() throws Exception {
        Path tarball = Path.of(System.getProperty("aceproxy.dist.tarball", "missing"));
        assertThat(tarball).as("the tarball (built in the package phase)").isRegularFile();
        dist = Distribution.extract(tarball, dir);
        long extracted;
        try (Stream<Path> files = Files.walk(dist.home())) {
            extracted = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("distribution %s: %.1f MiB, %.1f MiB extracted%n", tarball.getFileName(),
                Files.size(tarball) / 1048576.0, extracted / 1048576.0);
        assertThat(Files.size(tarball)).as("tarball size").isLessThan(MAX_TARBALL_BYTES);
        assertThat(dist.home().getFileName().toString())
                .isEqualTo("acestream-proxy-" + System.getProperty("aceproxy.version"));
    }

    @Test
    void theEnvironmentHasNoJava() throws Exception {
        Distribution.Result r = dist.run(Map.of(), Duration.ofSeconds(10), "--version");
        assertThat(r.status()).isZero();
        // The launcher ran with this PATH: an empty directory, so no java can come from it.
        try (Stream<Path> s = Files.list(dir.resolve("empty-path"))) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(Files.isExecutable(dist.home().resolve("runtime/bin/java"))).isTrue();
        assertThat(Files.exists(dist.home().resolve("runtime/bin/javac"))).as("a runtime, not a JDK").isFalse();
    }

    @Test
    void versionPrintsTheBuiltVersion() throws Exception {
        Distribution.Result r = dist.run(Map.of(), Duration.ofSeconds(10), "--version");
        assertThat(r.status()).isZero();
        assertThat(r.output().strip()).isEqualTo("acestream-proxy " + System.getProperty("aceproxy.version"));
    }

    @Test
    void javaOptsAddToTheSmallFootprintDefaults() throws Exception {
        Distribution.Result defaults = dist.run(Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), Duration.ofSeconds(10),
                "--version");
        assertThat(defaults.status()).isZero();
        assertThat(defaults.output()).containsPattern("UseSerialGC\\s+= true")
                .containsPattern("TieredStopAtLevel\\s+= 1\\s")
                .containsPattern("MaxHeapSize\\s+= " + (256L << 20) + "\\s")
                .containsPattern("ThreadStackSize\\s+= 512\\s")
                .containsPattern("ExitOnOutOfMemoryError\\s+= true");
        Distribution.Result raised = dist.run(Map.of("JAVA_OPTS", "-Xmx300m -XX:TieredStopAtLevel=4 -XX:+PrintFlagsFinal"),
                Duration.ofSeconds(10), "--version");
        assertThat(raised.status()).isZero();
        assertThat(raised.output()).containsPattern("MaxHeapSize\\s+= " + (300L << 20) + "\\s")
                .containsPattern("TieredStopAtLevel\\s+= 4\\s")
                .containsPattern("UseSerialGC\\s+= true")
                .endsWith("acestream-proxy " + System.getProperty("aceproxy.version"));
    }

    @Test
    void invalidFlagExitsWith2() throws Exception {
        Distribution.Result r = dist.run(Map.of(), Duration.ofSeconds(10), "--no-such-flag");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.output()).contains("--no-such-flag");
    }

    @Test
    void healthcheckOfNothingExits1() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Distribution.Result r = dist.run(Map.of(), Duration.ofSeconds(20), "healthcheck",
                "http://127.0.0.1:" + closedPort);
        assertThat(r.status()).as(r.output()).isEqualTo(1);
    }

    @Test
    void demoStreamsCleanlyAndHealthcheckPasses() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        Optional<String> ffmpeg = FfmpegOnPath.find();
        if (ci) {
            assertThat(ffmpeg).as("ffmpeg must be installed in CI (.ci/run installs it)").isPresent();
        }
        assumeTrue(ffmpeg.isPresent(), "ffmpeg is not installed: skipping the distribution's demo run");

        Process server = dist.start(Map.of(), "--demo", "--listen", "127.0.0.1:0");
        Distribution.Output log = Distribution.Output.follow(server);
        try {
            Matcher url = awaitLine(log, server, URL_LINE, Duration.ofSeconds(30));
            URI stream = URI.create(url.group(1));
            int port = Integer.parseInt(url.group(2));

            Distribution.Result health = dist.run(Map.of(), Duration.ofSeconds(20), "healthcheck",
                    "http://127.0.0.1:" + port);
            assertThat(health.status()).as(health.output()).isZero();
            Distribution.Result healthFromEnv = dist.run(Map.of("ACEXY_LISTEN_ADDR", "0.0.0.0:" + port),
                    Duration.ofSeconds(20), "healthcheck");
            assertThat(healthFromEnv.status()).as(healthFromEnv.output()).isZero();

            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(stream).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(response.statusCode()).isEqualTo(200);
                byte[] packets;
                try (InputStream body = response.body()) {
                    packets = body.readNBytes(188 * 3400);
                    // One player connected and streaming: the figure docs/install.md quotes.
                    System.out.printf("demo server resident set with one player: %s%n", residentSet(server.pid()));
                }
                assertThat(packets).hasSize(188 * 3400);
                StreamOracle.ofBundledClip().verify(packets, StreamExpectation.fromAnEntryPoint());
                FfmpegOnPath.assertDecodesCleanly(ffmpeg.get(), packets);

                for (String path : List.of("/api/v1/streams", "/metrics", "/ace/status")) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(stream.resolve(path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(path).isEqualTo(200);
                }
            }
        } finally {
            server.destroy();
            boolean ended = server.waitFor(15, TimeUnit.SECONDS);
            if (!ended) {
                server.destroyForcibly();
            }
            assertThat(ended).as("the server stops on SIGTERM; its log:%n%s", log.text()).isTrue();
        }
        assertThat(log.text()).doesNotContain("Exception").doesNotContain("NoClassDefFoundError");
    }

    private static Matcher awaitLine(Distribution.Output log, Process p, Pattern pattern, Duration timeout)
            throws InterruptedException {
        try {
            return Eventually.within(timeout, Duration.ofMillis(20), "a line matching " + pattern, () -> {
                Optional<Matcher> found = log.lines().stream().map(pattern::matcher).filter(Matcher::find).findFirst();
                if (found.isEmpty() && !p.isAlive()) {
                    throw new IOException("the launcher exited (" + p.exitValue() + ")");
                }
                return found;
            }, Optional::isPresent).orElseThrow();
        } catch (IOException | AssertionError e) {
            throw new AssertionError(e.getMessage() + ":\n" + log.text(), e);
        }
    }

    /** {@code VmRSS} (now) and {@code VmHWM} (peak) of the process, as /proc reports them. */
    private static String residentSet(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("VmRSS:") || line.startsWith("VmHWM:"))
                    .map(line -> line.replaceAll("\\s+", " "))
                    .reduce((a, b) -> a + ", " + b).orElse("unknown");
        } catch (IOException e) {
            return "unknown (" + e + ")";
        }
    }
}
