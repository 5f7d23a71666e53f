package dev.aceproxy.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.aceproxy.bench.load.LoadOptions;
import dev.aceproxy.bench.load.ProcFs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One short comparison of ours alone (the peers need a Go toolchain and the shared floor source,
 * which the build does not have) with the load tool's readers: an idle run and a 2-player run.
 * Checks that the runs are made, measured, reported and cleaned up, not how fast anything is.
 */
class CompareSmokeTest {

    @Test
    @Timeout(120)
    void runsOursIdleAndWithTwoPlayersMeasuresReportsAndStopsIt(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("aceproxy.serverJar",
                LoadOptions.DEFAULT_SERVER_JARS.get(1).toString()));
        assumeThat(Files.isRegularFile(jar)).as("server jar %s (built by mvn package)", jar).isTrue();
        assumeThat(ProcFs.available()).as("Linux /proc").isTrue();
        Path json = dir.resolve("result.json");
        CompareOptions options = CompareOptions.parse("--targets", "ours", "--counts", "idle,2", "--clients",
                "readers", "--warmup", "1s", "--duration", "4s", "--settle", "1s", "--tail", "500ms", "--idle", "1s",
                "--server-jar", jar.toString(), "--json", json.toString(), "--selectors", "1");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ByteArrayOutputStream table = new ByteArrayOutputStream();

        List<RunResult> runs = Compare.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8),
                new PrintStream(table, true, StandardCharsets.UTF_8));

        assertThat(runs).extracting(RunResult::players).containsExactly(0, 2);
        RunResult idle = runs.get(0);
        assertThat(idle.outcome()).isEmpty();
        assertThat(idle.engineGetstreams()).isZero();
        assertThat(idle.peakRssBytes()).isPositive();
        RunResult two = runs.get(1);
        assertThat(two.engineGetstreams()).isEqualTo(1);
        assertThat(two.enginePlaybackOpens()).isEqualTo(1);
        assertThat(two.outcome()).hasValueSatisfying(o -> {
            assertThat(o.totalBytes()).isPositive();
            assertThat(o.failed()).isZero();
            assertThat(o.herdFirstByte().count()).isEqualTo(1);
            assertThat(o.starterFirstByteMillis()).isPositive();
        });
        assertThat(two.whole().bytes()).isEqualTo(two.outcome().orElseThrow().totalBytes());
        assertThat(two.steady().bytes()).isPositive().isLessThan(two.whole().bytes());
        assertThat(two.steady().seconds()).isBetween(2.0, two.whole().seconds());
        assertThat(two.whole().cpuMillis()).isPositive();
        assertThat(two.peakRssBytes()).isPositive();
        assertThat(table.toString(StandardCharsets.UTF_8))
                .contains("| readers | idle: CPU ms per second (steady) |")
                .contains("| readers | 2 players, steady: CPU ms per GB (user / sys) |");
        assertThat(Files.readString(json)).startsWith("{\"started\":").contains("\"rows\":[", "\"runs\":[",
                "\"failures\":[]", "-Xmx256m");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("compare: ours / readers / 2 players");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("acestream-proxy-server"))).isEmpty();
    }
}
