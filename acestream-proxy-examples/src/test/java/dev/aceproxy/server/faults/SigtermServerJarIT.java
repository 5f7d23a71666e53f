package dev.aceproxy.server.faults;

import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.FakeAceEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped artefact under SIGTERM: {@code target/acestream-proxy-server.jar} runs in its own JVM
 * (the same java as the test) against an in-process fake engine with three players on two
 * contents; SIGTERM must stop both engine sessions, end the players' streams and exit within
 * seconds. Runs in the {@code integration-test} phase, after the jar is built. The same scenario on
 * the test classpath, with one player, is {@code dev.aceproxy.server.ChildProcessTest}.
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class SigtermServerJarIT {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void sigtermWhileStreamingStopsEverySessionAndExitsWithinSeconds() throws Exception {
        Path jar = Path.of(System.getProperty("aceproxy.serverJar", "target/acestream-proxy-server.jar"));
        assertThat(jar).as("the shaded server jar (built in the package phase)").isRegularFile();
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            Process child = new ProcessBuilder(List.of(javaCommand, "-jar", jar.toString(), "--listen", "127.0.0.1:0",
                    "--engine", engine.baseUri().toString())).redirectErrorStream(true).start();
            try {
                // The child's output is read on its own thread to the end, so that no read here can block.
                BufferedReader log = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                CompletableFuture<Integer> listening = new CompletableFuture<>();
                Thread.ofVirtual().name("server-jar-log").start(() -> {
                    try {
                        for (String line = log.readLine(); line != null; line = log.readLine()) {
                            Matcher m = LISTENING.matcher(line);
                            if (m.find()) {
                                listening.complete(Integer.parseInt(m.group(1)));
                            }
                        }
                    } catch (IOException ignored) {
                        // the child is gone
                    }
                    listening.completeExceptionally(new IOException("the server exited before listening"));
                });
                int port = listening.get(20, TimeUnit.SECONDS);
                try (SocketPlayer a1 = SocketPlayer.open(port, "/ace/getstream?id=" + FaultRig.ID_A);
                     SocketPlayer a2 = SocketPlayer.open(port, "/ace/getstream?id=" + FaultRig.ID_A);
                     SocketPlayer b = SocketPlayer.open(port, "/ace/getstream?id=" + FaultRig.ID_B)) {
                    for (SocketPlayer p : List.of(a1, a2, b)) {
                        p.receives(188 * 500, java.time.Duration.ofSeconds(8));
                    }
                    assertThat(engine.openSessions()).isEqualTo(2);
                    long signalled = System.nanoTime();
                    child.destroy(); // SIGTERM
                    assertThat(child.waitFor(8, TimeUnit.SECONDS)).as("exited within 8 s").isTrue();
                    System.out.println("exit after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled)
                            + " ms with status " + child.exitValue());
                    for (SocketPlayer p : List.of(a1, a2, b)) {
                        Eventually.within(java.time.Duration.ofSeconds(2), "stream ended", p::ended);
                        assertThat(p.misalignedPackets()).isZero();
                        p.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
                    }
                }
                assertThat(engine.stopCalls()).isEqualTo(2);
                assertThat(engine.openSessions()).isZero();
                // The fake engine counts a playback connection until its streaming thread sees the close.
                Eventually.within(java.time.Duration.ofSeconds(3), "playbacks closed",
                        () -> engine.openPlaybackConnections() == 0);
                assertThat(engine.secondReaderAttempts()).isZero();
            } finally {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
        }
        assertThat(Files.exists(jar)).isTrue();
    }
}
