package dev.aceproxy.server;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.EngineEvent;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReferenceServerTest {

    private static ServerSettings settings(String... args) throws InvalidSettingException {
        return SettingsParser.parse(List.of(args), Map.of()).settings();
    }

    @Test
    void demoStreamsAndTheShutdownHookStopsTheEngineSession() throws Exception {
        ReferenceServer server = ReferenceServer.start(settings("--demo", "--listen", "127.0.0.1:0"));
        FakeAceEngine engine = server.demoEngine().orElseThrow();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(server.demoStreamUri(Optional.empty())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                assertThat(response.statusCode()).isEqualTo(200);
                byte[] packets = body.readNBytes(188 * 500);
                assertThat(packets).hasSize(188 * 500);
                StreamOracle.ofBundledClip().verify(packets, StreamExpectation.fromAnEntryPoint());
                assertThat(engine.openSessions()).isEqualTo(1);
                Thread hook = server.shutdownHook();
                hook.start();
                hook.join(TimeUnit.SECONDS.toMillis(5));
                assertThat(hook.isAlive()).as("shutdown finished within 5 s").isFalse();
                // The rest of the stream ends: the body reaches its end instead of hanging.
                body.readAllBytes();
            }
        } finally {
            server.close();
        }
        assertThat(engine.stopCalls()).isEqualTo(1);
        assertThat(engine.openSessions()).isZero();
        assertThat(server.registry().isShutdown()).isTrue();
    }

    @Test
    void onSigtermTheServerDrainsFirstWhileItsPlayerGoesOn() throws Exception {
        ReferenceServer server = ReferenceServer.start(settings("--demo", "--listen", "127.0.0.1:0",
                "--drain-timeout", "20s"));
        FakeAceEngine engine = server.demoEngine().orElseThrow();
        Thread hook = server.shutdownHook();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(server.demoStreamUri(Optional.empty())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                assertThat(body.readNBytes(188)).hasSize(188);
                hook.start();
                java.net.URI ready = server.baseUri().resolve("/readyz");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                int status = 200;
                while (status == 200 && System.nanoTime() - deadline < 0) {
                    status = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                }
                assertThat(status).as("not ready once draining").isEqualTo(503);
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(server.baseUri().resolve(
                        "/ace/getstream?id=" + "b".repeat(40))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(refused.body()).contains("\"error\":\"draining\"");
                assertThat(body.readNBytes(188 * 500)).as("the player goes on while draining").hasSize(188 * 500);
                assertThat(hook.isAlive()).as("the drain waits for the player").isTrue();
            }
            // The player has gone: the drain ends, then the server stops.
            hook.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(hook.isAlive()).as("shutdown finished once the player left").isFalse();
        } finally {
            server.close();
        }
        assertThat(engine.getstreamCalls()).isEqualTo(1);
        assertThat(engine.stopCalls()).isEqualTo(1);
        assertThat(server.registry().isShutdown()).isTrue();
    }

    @Test
    void aShutdownStopsAcceptingBeforeItEndsTheSessions() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            ReferenceServer server = ReferenceServer.start(settings("--listen", "127.0.0.1:0", "--engine",
                    engine.baseUri().toString(), "--linger", "0s"));
            int port = server.baseUri().getPort();
            try (java.net.Socket player = new java.net.Socket("127.0.0.1", port)) {
                player.getOutputStream().write(("GET /ace/getstream?id=" + "ab".repeat(20)
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                player.setSoTimeout(10_000);
                assertThat(player.getInputStream().readNBytes(4096)).hasSize(4096);
                // The engine holds the stop: the registry's shutdown waits in it.
                engine.hangStop(true);
                Thread closing = Thread.ofVirtual().start(server::close);
                assertThat(engine.awaitEvent(EngineEvent.Kind.STOP, Duration.ofSeconds(10))).as("the stop call").isNotNull();
                assertThat(engine.stopCalls()).as("the registry is stopping the session").isEqualTo(1);
                // Meanwhile no new connection is taken.
                assertThat(connectRefused(port)).as("a new connection is refused during the shutdown").isTrue();
                engine.hangStop(false);
                closing.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(closing.isAlive()).isFalse();
            }
        }
    }

    private static boolean connectRefused(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void tokenProtectsTheDemoUrlItPrints() throws Exception {
        try (ReferenceServer server = ReferenceServer.start(
                settings("--demo", "--listen", "127.0.0.1:0", "--access-token", "tok+en&0123456789"));
             HttpClient http = HttpClient.newHttpClient()) {
            String status = server.baseUri() + "/ace/status";
            assertThat(http.send(HttpRequest.newBuilder(java.net.URI.create(status)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
            assertThat(server.demoStreamUri(Optional.of("tok+en&0123456789")).toString())
                    .endsWith("&token=tok%2Ben%260123456789");
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(server.demoStreamUri(Optional.of("tok+en&0123456789"))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(body.readNBytes(188)).hasSize(188);
            }
        }
    }
}
