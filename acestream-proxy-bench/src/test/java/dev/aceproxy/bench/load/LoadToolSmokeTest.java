package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One short run of the load tool against the real server jar (built by the examples module before
 * this module's tests run) and an in-process fake engine: 3 fast clients and 1 stuck for 2 s.
 * Checks that the run is made and measured, not how fast anything is.
 */
class LoadToolSmokeTest {

    @Test
    @Timeout(60)
    void runsTheServerMeasuresAndKillsIt() throws Exception {
        Path jar = Path.of(System.getProperty("aceproxy.serverJar",
                LoadOptions.DEFAULT_SERVER_JARS.get(1).toString()));
        assumeThat(Files.isRegularFile(jar)).as("server jar %s (built by mvn package)", jar).isTrue();
        assumeThat(ProcFs.available()).as("Linux /proc").isTrue();

        LoadOptions options = LoadOptions.parse("--clients", "3", "--stuck", "1", "--duration", "2s",
                "--warmup", "1s", "--server-jar", jar.toString(), "--server-jvm-arg", "-Xmx128m",
                "--start-timeout", "30s", "--join-timeout", "10s", "--selectors", "1");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        LoadReport r = LoadTool.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("stream started", "measuring for 2s");
        assertThat(r.windowSeconds()).isBetween(1.9, 10.0);
        assertThat(r.fastClients()).isEqualTo(3);
        assertThat(r.stuckClients()).isEqualTo(1);
        assertThat(r.engineBytes()).isPositive();
        assertThat(r.bytesDelivered()).isGreaterThan(r.engineBytes());
        // How many kept up is a speed figure (the bench's job), not something a loaded CI machine can
        // promise. What the run does promise: no fast client is lost (the engine sends less in the
        // run than the default 4 MiB queue bound, and the run is shorter than the 10 s stall timeout),
        // and the count is backed by the bytes (each client that kept up got 90% of the engine's).
        assertThat(r.fastClientsLost()).as("fast clients lost").isZero();
        assertThat(r.clientsKeptUp()).isLessThanOrEqualTo(r.fastClients());
        assertThat((double) r.bytesDelivered()).as("bytes behind %d clients that kept up", r.clientsKeptUp())
                .isGreaterThanOrEqualTo(r.clientsKeptUp() * LoadTool.KEPT_UP_FRACTION * r.engineBytes());
        assertThat(r.joinTtfb().count()).isEqualTo(2);
        assertThat(r.joinersWithoutFirstByte()).isZero();
        assertThat(r.firstClientTtfbMillis()).isPositive();
        assertThat(r.badStarts()).isZero();
        assertThat(r.getstreamCalls()).isEqualTo(1);
        assertThat(r.playbackOpens()).isEqualTo(1);
        assertThat(r.serverCpuSeconds()).isPositive();
        assertThat(r.serverPeakRssBytes()).isGreaterThanOrEqualTo(r.serverRssBytes()).isPositive();
        assertThat(r.serverThreads()).isPositive();
        assertThat(r.serverFds()).isPositive();
        assertThat(r.serverCommand()).contains("--listen", "--engine", "-Xmx128m");
        assertThat(JsonLine.of(r.toMap())).startsWith("{\"type\":\"result\"").doesNotContain("\n");
        assertThat(r.summary()).contains("kept up        " + r.clientsKeptUp() + " of 3 fast clients", "first byte");
        assertThat(ProcessHandle.of(r.serverPid()).map(ProcessHandle::isAlive)).as("server killed")
                .isNotEqualTo(java.util.Optional.of(true));
    }
}
