package dev.aceproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.FakeAceEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AceProxyServerTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return AceProxyServer.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--linger=forever", "--queue-bytes=tiny", "--overflow=drop", "--listen=nowhere",
        "--engine=ftp://x", "--max-clients=-3", "--no-data-timeout=0", "--bogus"})
    void invalidFlagExitsWith2AndNamesTheSetting(String arg) {
        assertThat(run(Map.of(), arg, "--listen", "127.0.0.1:0")).isEqualTo(AceProxyServer.EXIT_USAGE);
        String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(flag);
    }

    @Test
    void invalidEnvironmentExitsWith2AndNamesTheVariableAndValue() {
        assertThat(run(Map.of("ACEXY_EMPTY_TIMEOUT", "60"), "--listen", "127.0.0.1:0"))
                .isEqualTo(AceProxyServer.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ACEXY_EMPTY_TIMEOUT").contains("\"60\"");
    }

    @Test
    void helpExitsWith0() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--listen").contains("ACEXY_LISTEN_ADDR")
                .contains("--access-token").contains("--demo").contains("--probe");
    }

    @Test
    void theDemoNeverPrintsTheToken() {
        String token = "demo-secret+token&0123456789";
        assertThat(run(Map.of(), "--demo", "--listen", "127.0.0.1:0", "--access-token", token)).isZero();
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("&token=<your access token, url-encoded>")
                .doesNotContain(token).doesNotContain("demo-secret");
    }

    @Test
    void startsAndStopsOnAFreePort() {
        assertThat(run(Map.of(), "--listen", "127.0.0.1:0", "--engine", "http://127.0.0.1:9")).isZero();
    }

    @Test
    void aTakenPortExitsWith1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(run(Map.of(), "--listen", "127.0.0.1:" + taken.getLocalPort())).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot start");
        }
    }

    @Test
    void probeReportsAHealthyStream() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            int status = run(Map.of(), "--engine", engine.baseUri().toString(), "--probe",
                    "0123456789abcdef0123456789abcdef01234567", "--probe-duration", "2s");
            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(report).contains("version 3.1.70").contains("TS sync losses: 0")
                    .contains("PAT seen: yes, PMT seen: yes").contains("engine stats: status")
                    .contains("session stopped").contains("result: healthy");
            assertThat(status).isZero();
            assertThat(engine.stopCalls()).isEqualTo(1);
        }
    }

    @Test
    void probeOfUnavailableContentExitsWith1() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            engine.markUnavailable("0123456789abcdef0123456789abcdef01234567");
            assertThat(run(Map.of(), "--engine", engine.baseUri().toString(), "--probe",
                    "0123456789abcdef0123456789abcdef01234567", "--probe-duration", "1s")).isEqualTo(1);
        }
    }

    @Test
    void probeOfAnEngineThatIsNotThereExitsWith1() {
        assertThat(run(Map.of(), "--engine", "http://127.0.0.1:9", "--probe",
                "0123456789abcdef0123456789abcdef01234567")).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no answer to get_version");
    }

    @Test
    void probeReportWritesTheReportAndExitsWith0(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            int status = run(Map.of(), "--engine", engine.baseUri().toString(), "--probe",
                    "0123456789abcdef0123456789abcdef01234567", "--probe-duration", "1s", "--probe-report",
                    file.toString());

            assertThat(status).as("stderr: %s", err).isZero();
            assertThat(Files.readString(file)).startsWith("{\"report_version\":1,").contains("\"complete\":true");
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("report written to " + file.toAbsolutePath());
            assertThat(engine.openSessions()).isZero();
        }
    }

    @Test
    void probeReportOfAnEngineThatIsNotThereExitsWith1NamingTheStep(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.json");
        assertThat(run(Map.of(), "--engine", "http://127.0.0.1:9", "--probe", "0123456789abcdef0123456789abcdef01234567",
                "--probe-report", file.toString())).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("probe step get_version failed");
        assertThat(Files.readString(file)).contains("\"failed_step\":\"get_version\"");
    }
}
