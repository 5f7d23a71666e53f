package dev.aceproxy.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service and container files against the distribution: the systemd unit passes
 * {@code systemd-analyze verify} with its ExecStart pointing at the extracted launcher; the
 * Dockerfile's steps (unpack into /opt, link, run the launcher, health-check through it) are
 * replayed under a temporary root, since no Docker engine is at hand; compose's health check is
 * the Dockerfile's.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServiceFilesDistIT {

    private static final Path DIST_FILES = Path.of(System.getProperty("aceproxy.distFiles", "../dist"));
    private static final Pattern JSON_STRING = Pattern.compile("\"([^\"]*)\"");

    @TempDir
    static Path dir;
    static Path tarball;

    @BeforeAll
    static void locate() {
        tarball = Path.of(System.getProperty("aceproxy.dist.tarball", "missing"));
        assertThat(tarball).isRegularFile();
    }

    @Test
    void systemdUnitVerifies() throws Exception {
        Optional<String> analyze = Tools.find("systemd-analyze");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(analyze).as("systemd-analyze must be installed in CI (.ci/run installs it)").isPresent();
        }
        assumeTrue(analyze.isPresent(), "systemd-analyze is not installed: skipping the unit check");
        Path root = Files.createDirectories(dir.resolve("systemd"));
        Distribution dist = Distribution.extract(tarball, Files.createDirectories(root.resolve("opt")));
        String unit = Files.readString(DIST_FILES.resolve("systemd/acestream-proxy.service"), StandardCharsets.UTF_8);
        assertThat(unit).contains("DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes",
                "EnvironmentFile=-/etc/acestream-proxy/acestream-proxy.env",
                "ExecStart=/opt/acestream-proxy/bin/acestream-proxy\n");
        Path env = Files.copy(DIST_FILES.resolve("systemd/acestream-proxy.env"), root.resolve("acestream-proxy.env"));
        Path relocated = root.resolve("acestream-proxy.service");
        Files.writeString(relocated, unit
                .replace("ExecStart=/opt/acestream-proxy/bin/acestream-proxy",
                        "ExecStart=" + dist.home().resolve("bin/acestream-proxy"))
                .replace("EnvironmentFile=-/etc/acestream-proxy/acestream-proxy.env", "EnvironmentFile=-" + env));
        Process p = new ProcessBuilder(analyze.get(), "verify", relocated.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output.strip()).as("systemd-analyze verify's complaints").isEmpty();
    }

    @Test
    void dockerfileStepsRunTheDistribution() throws Exception {
        List<String> lines = Files.readAllLines(DIST_FILES.resolve("docker/Dockerfile"), StandardCharsets.UTF_8);
        Path root = Files.createDirectories(dir.resolve("image"));
        Path opt = Files.createDirectories(root.resolve("opt"));
        List<String> entrypoint = null;
        List<String> healthcheck = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            while (line.endsWith("\\")) {
                line = line.substring(0, line.length() - 1) + " " + lines.get(++i).strip();
            }
            if (line.startsWith("ADD ")) {
                assertThat(line).isEqualTo("ADD acestream-proxy-*-linux-x64.tar.gz /opt/");
                Distribution.extract(tarball, opt);
            } else if (line.startsWith("RUN ")) {
                String command = line.substring(4).replace("/opt/", opt + "/");
                Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("%s: %s", command, output).isZero();
            } else if (line.startsWith("ENTRYPOINT ")) {
                entrypoint = jsonArray(line);
            } else if (line.startsWith("HEALTHCHECK ")) {
                healthcheck = jsonArray(line.substring(line.indexOf("CMD ")));
            } else if (line.startsWith("COPY ") || line.startsWith("CMD ")) {
                throw new AssertionError("a step this test does not replay: " + line);
            }
        }
        assertThat(entrypoint).containsExactly("/opt/acestream-proxy/bin/acestream-proxy");
        assertThat(healthcheck).containsExactly("/opt/acestream-proxy/bin/acestream-proxy", "healthcheck");
        String compose = Files.readString(DIST_FILES.resolve("docker/compose.yaml"), StandardCharsets.UTF_8);
        assertThat(compose).contains("test: [\"CMD\", \"/opt/acestream-proxy/bin/acestream-proxy\", \"healthcheck\"]")
                .contains("ACEXY_HOST: acestream-engine").contains("ACEXY_LISTEN_ADDR: \":8080\"");

        Path launcher = opt.resolve("acestream-proxy/bin/acestream-proxy");
        Distribution image = new Distribution(opt.resolve("acestream-proxy"), Files.createDirectories(root.resolve("empty")));
        Distribution.Result version = image.run(Map.of(), Duration.ofSeconds(10), "--version");
        assertThat(version.status()).as(version.output()).isZero();
        assertThat(version.output().strip()).isEqualTo("acestream-proxy " + System.getProperty("aceproxy.version"));
        assertThat(launcher).isExecutable();

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Distribution.Result down = image.run(Map.of("ACEXY_LISTEN_ADDR", ":" + closedPort), Duration.ofSeconds(20),
                "healthcheck");
        assertThat(down.status()).as(down.output()).isEqualTo(1);
    }

    private static List<String> jsonArray(String line) {
        String array = line.substring(line.indexOf('['), line.lastIndexOf(']') + 1);
        List<String> items = new ArrayList<>();
        Matcher m = JSON_STRING.matcher(array);
        while (m.find()) {
            items.add(m.group(1));
        }
        return items;
    }
}
