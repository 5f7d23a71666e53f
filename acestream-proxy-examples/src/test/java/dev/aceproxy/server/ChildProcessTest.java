package dev.aceproxy.server;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.FakeAceEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real entry point in its own JVM: SIGTERM stops it within seconds and stops the engine session. */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ChildProcessTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void sigtermStopsTheServerAndItsEngineSessions() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        try (FakeAceEngine engine = FakeAceEngine.start(); HttpClient http = HttpClient.newHttpClient()) {
            Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    AceProxyServer.class.getName(), "--listen", "127.0.0.1:0", "--engine",
                    engine.baseUri().toString()))
                    .redirectErrorStream(true).start();
            try {
                BufferedReader log = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                int port = -1;
                for (String line = log.readLine(); line != null; line = log.readLine()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port = Integer.parseInt(m.group(1));
                        break;
                    }
                }
                assertThat(port).as("port from the start-up line").isPositive();
                Thread.ofVirtual().start(() -> {
                    try {
                        log.transferTo(Writer.nullWriter());
                    } catch (IOException ignored) {
                        // The child is gone.
                    }
                });
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/ace/getstream?id=0123456789abcdef0123456789abcdef01234567"))
                        .build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    byte[] packets = body.readNBytes(188 * 500);
                    assertThat(packets).hasSize(188 * 500);
                    StreamOracle.ofBundledClip().verify(packets, StreamExpectation.fromAnEntryPoint());
                    assertThat(engine.openSessions()).isEqualTo(1);
                    child.destroy(); // SIGTERM
                    assertThat(child.waitFor(8, TimeUnit.SECONDS)).as("exited within 8 s").isTrue();
                }
                assertThat(engine.stopCalls()).isEqualTo(1);
                assertThat(engine.openSessions()).isZero();
            } finally {
                child.destroyForcibly();
            }
        }
    }
}
