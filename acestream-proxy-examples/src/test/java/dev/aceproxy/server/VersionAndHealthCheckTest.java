package dev.aceproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --version}, and the launcher's {@code healthcheck} against a stand-in {@code /healthz}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class VersionAndHealthCheckTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger asked = new AtomicInteger();
    private HttpServer healthz;

    @BeforeEach
    void startHealthz() throws IOException {
        healthz = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        healthz.createContext("/healthz", exchange -> {
            asked.incrementAndGet();
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        healthz.start();
    }

    @AfterEach
    void stopHealthz() {
        healthz.stop(0);
    }

    private int check(Map<String, String> env, String... args) {
        return HealthCheck.check(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String base() {
        return "http://127.0.0.1:" + healthz.getAddress().getPort();
    }

    @Test
    void versionAlonePrintsTheBuiltVersion() {
        int code = AceProxyServer.run(List.of("--version"), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip()).matches("acestream-proxy \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void healthyAnswerExits0AndAUrlWithoutPathGetsHealthz() {
        assertThat(check(Map.of(), base())).isEqualTo(HealthCheck.HEALTHY);
        assertThat(check(Map.of(), base() + "/")).isEqualTo(HealthCheck.HEALTHY);
        assertThat(check(Map.of(), base() + "/healthz")).isEqualTo(HealthCheck.HEALTHY);
        assertThat(asked).hasValue(3);
    }

    @Test
    void unhealthyAnswerExits1() {
        status.set(503);
        assertThat(check(Map.of(), base())).isEqualTo(HealthCheck.UNHEALTHY);
        assertThat(asked).hasValue(1);
    }

    @Test
    void noServerExits1() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThat(check(Map.of(), "http://127.0.0.1:" + closedPort)).isEqualTo(HealthCheck.UNHEALTHY);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(String.valueOf(closedPort));
    }

    @Test
    void withoutUrlItAsksTheListenAddressOnLoopback() {
        int port = healthz.getAddress().getPort();
        assertThat(check(Map.of("ACEXY_LISTEN_ADDR", ":" + port))).isEqualTo(HealthCheck.HEALTHY);
        assertThat(check(Map.of("ACEXY_LISTEN_ADDR", "0.0.0.0:" + port))).isEqualTo(HealthCheck.HEALTHY);
        assertThat(asked).hasValue(2);
    }

    @Test
    void badArgumentsExit2() {
        assertThat(check(Map.of(), "ftp://x/healthz")).isEqualTo(HealthCheck.USAGE);
        assertThat(check(Map.of(), base(), base())).isEqualTo(HealthCheck.USAGE);
        assertThat(check(Map.of("ACEXY_LISTEN_ADDR", "nowhere"))).isEqualTo(HealthCheck.USAGE);
        assertThat(asked).hasValue(0);
    }
}
