package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.registry.SessionPolicy;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** At every bound the answer is prompt, and monitoring keeps answering. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CapacityTest {

    /** A fake engine, a registry and a server built with the given builder settings. */
    private record Rig(FakeAceEngine engine, AceEngineClient client, StreamRegistry registry, AceProxyHttpServer server)
            implements AutoCloseable {

        static Rig start(UnaryOperator<AceProxyHttpServer.Builder> setup) throws IOException {
            FakeAceEngine engine = FakeAceEngine.start();
            AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
            StreamRegistry registry = StreamRegistry.newBuilder().engine(client)
                    .sessionPolicy(SessionPolicy.DEFAULT.withLinger(Duration.ZERO)).build();
            AceProxyHttpServer server = setup.apply(AceProxyHttpServer.newBuilder().registry(registry).port(0)
                    .stopTimeout(Duration.ofMillis(1))).build();
            server.start();
            return new Rig(engine, client, registry, server);
        }

        @Override
        public void close() {
            try {
                server.close();
                registry.close();
                // Every engine session the proxy started was stopped (or forgotten by the engine).
                assertThat(engine.sessionsOutstanding()).as("engine sessions left open").isZero();
            } finally {
                client.close();
                engine.close();
            }
        }
    }

    @Test
    void beyondTheRequestBoundA503ComesAtOnceWhileHealthAndMetricsAnswer() throws Exception {
        try (Rig rig = Rig.start(b -> b.maxConcurrentRequests(3))) {
            int port = rig.server().port();
            List<Socket> players = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    players.add(play(port, "127.0.0.1"));
                }
                long start = System.nanoTime();
                RawHttp.Answer refused = RawHttp.get(port, "/ace/getstream?id=" + ID);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("5");
                assertThat(refused.body()).contains("\"error\":\"over_capacity\"");
                // Not parked until the request head deadline (10 s) or the client's patience.
                assertThat(millis).isLessThan(5_000);
                assertThat(RawHttp.get(port, "/api/v1/streams").status()).isEqualTo(503);
                assertThat(RawHttp.get(port, "/healthz").status()).isEqualTo(200);
                assertThat(RawHttp.get(port, "/metrics").status()).isEqualTo(200);
                assertThat(rig.engine().getstreamCalls()).isEqualTo(1);
            } finally {
                for (Socket player : players) {
                    player.close();
                }
            }
            // A place frees up once a player has gone.
            Eventually.within(Duration.ofSeconds(10), "/api/v1/streams answered 200 once a place is free",
                    () -> RawHttp.get(port, "/api/v1/streams").status(), status -> status == 200);
        }
    }

    @Test
    void idleConnectionsAreClosedAtTheHeadDeadlineWhileAPlayerStarts() throws Exception {
        Duration headDeadline = Duration.ofSeconds(2);
        try (Rig rig = Rig.start(b -> b.requestHeadersTimeout(headDeadline))) {
            int port = rig.server().port();
            List<Socket> idle = new ArrayList<>();
            try {
                // 2 000 connections that never send a request, from 10 addresses (200 each, under the
                // per-address bound), all accepted.
                for (int i = 0; i < 2000; i++) {
                    Socket socket = new Socket();
                    socket.bind(new InetSocketAddress("127.0.1." + (i % 10 + 1), 0));
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    idle.add(socket);
                }
                long opened = System.nanoTime();
                try (Socket player = play(port, "127.0.2.1")) {
                    assertThat(player.getInputStream().readNBytes(188 * 100)).hasSize(188 * 100);
                }
                for (Socket socket : idle) {
                    socket.setSoTimeout(1);
                }
                long limit = opened + headDeadline.plusSeconds(5).toNanos();
                for (Socket socket : idle) {
                    assertThat(closedBy(socket, limit)).as("closed by the head deadline").isTrue();
                }
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void oneAddressCannotTakeEveryConnection() throws Exception {
        try (Rig rig = Rig.start(b -> b.maxConnectionsPerAddress(20))) {
            int port = rig.server().port();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 30; i++) {
                    Socket socket = new Socket();
                    socket.bind(new InetSocketAddress("127.0.3.1", 0));
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    sockets.add(socket);
                }
                int closed = 0;
                for (Socket socket : sockets) {
                    if (closedBy(socket, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200))) {
                        closed++;
                    }
                }
                assertThat(closed).isEqualTo(10);
                assertThat(RawHttp.exchangeFrom("127.0.3.2", port, ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).status()).isEqualTo(200);
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void beyondTheConnectionBoundTheServerWaitsUntilOneCloses() throws Exception {
        try (Rig rig = Rig.start(b -> b.maxConnections(20).requestHeadersTimeout(Duration.ofSeconds(1)))) {
            int port = rig.server().port();
            List<Socket> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket socket = new Socket();
                    socket.bind(new InetSocketAddress("127.0.4." + (i % 2 + 1), 0));
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    idle.add(socket);
                }
                // The kernel queues connections in order: the 20 idle ones are accepted first.
                try (Socket extra = new Socket()) {
                    extra.bind(new InetSocketAddress("127.0.4.9", 0));
                    long start = System.nanoTime();
                    extra.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    extra.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    extra.setSoTimeout(10_000);
                    RawHttp.Answer answer = RawHttp.read(extra.getInputStream());
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(answer.status()).isEqualTo(200);
                    // It was served only once the idle connections had been closed by their deadline.
                    assertThat(millis).isGreaterThanOrEqualTo(500);
                }
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
        }
    }

    private static Socket play(int port, String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
        assertThat(head).isEqualTo("HTTP/1.1 200");
        return socket;
    }

    /** Reads until the server closes the socket or the deadline passes; true if it closed. */
    private static boolean closedBy(Socket socket, long deadlineNanos) throws IOException {
        socket.setSoTimeout(50);
        byte[] buffer = new byte[256];
        while (System.nanoTime() < deadlineNanos) {
            try {
                if (socket.getInputStream().read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (java.net.SocketException e) {
                return true;
            }
        }
        return false;
    }
}
