package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.registry.EnginePoolPolicy;
import dev.aceproxy.registry.SessionPolicy;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request-level abuse the container must absorb: oversized request lines and headers, garbage on
 * the wire, connections that send nothing or trickle their headers (slowloris). Each case checks
 * the answer and that the server goes on serving.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostileRequestTest {

    private static final Duration HEADERS_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(8);

    private FakeAceEngine engine;
    private AceEngineClient client;
    private StreamRegistry registry;
    private AceProxyHttpServer server;

    @BeforeEach
    void start() throws Exception {
        engine = FakeAceEngine.start();
        client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
        registry = StreamRegistry.newBuilder().engine(client)
                .sessionPolicy(SessionPolicy.DEFAULT.withStartTimeout(Duration.ofSeconds(5)).withLinger(Duration.ZERO))
                .enginePoolPolicy(new EnginePoolPolicy(Duration.ofHours(1), 3))
                .build();
        server = AceProxyHttpServer.newBuilder().registry(registry).port(0)
                .requestHeadersTimeout(HEADERS_TIMEOUT).idleTimeout(IDLE_TIMEOUT).build();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
        client.close();
        engine.close();
    }

    private void assertStillServing() throws Exception {
        RawHttp.Answer health = RawHttp.get(server.port(), "/ace/status");
        assertThat(health.status()).as("a normal request afterwards").isEqualTo(200);
        assertThat(health.body()).contains("\"streams\":0");
    }

    @Test
    void aRequestLineAboveTheLimitIs414() throws Exception {
        RawHttp.Answer answer = RawHttp.get(server.port(),
                "/ace/getstream?id=" + ID + "&x=" + "a".repeat(AceProxyHttpServer.DEFAULT_MAX_REQUEST_HEADER_BYTES));
        assertThat(answer.status()).isEqualTo(414);
        assertThat(answer.body()).contains("\"error\":\"uri_too_long\"");
        assertThat(engine.getstreamCalls()).isZero();
        assertStillServing();
    }

    @Test
    void aQueryBetweenTheAdaptersAndJettysLimitsIsAJson400() throws Exception {
        RawHttp.Answer answer = RawHttp.get(server.port(), "/ace/getstream?id=" + ID + "&x=" + "a".repeat(5000));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body()).contains("\"error\":\"query_too_long\"");
        assertThat(engine.getstreamCalls()).isZero();
    }

    @Test
    void headersAboveTheLimitAre431() throws Exception {
        String request = "GET /ace/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: "
                + "j".repeat(AceProxyHttpServer.DEFAULT_MAX_REQUEST_HEADER_BYTES) + "\r\nConnection: close\r\n\r\n";
        RawHttp.Answer answer = RawHttp.exchange(server.port(), request.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(answer.status()).isEqualTo(431);
        assertThat(answer.body()).contains("\"error\":\"headers_too_large\"");
        assertStillServing();
    }

    @Test
    void manySmallHeadersAboveTheLimitAre431() throws Exception {
        StringBuilder request = new StringBuilder("GET /ace/status HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (int i = 0; i < 2000; i++) {
            request.append("X-").append(i).append(": v\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        RawHttp.Answer answer = RawHttp.exchange(server.port(), request.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertThat(answer.status()).isEqualTo(431);
        assertStillServing();
    }

    @Test
    void garbageInsteadOfARequestIs400() throws Exception {
        byte[][] garbage = {
            "HELLO\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "GET /ace/status HTTP/9.9\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "GET /ace/status HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "GET /ace/status HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03, '\r', '\n', '\r', '\n'},
        };
        for (byte[] request : garbage) {
            RawHttp.Answer answer = RawHttp.exchange(server.port(), request);
            assertThat(answer.status()).as(new String(request, StandardCharsets.ISO_8859_1)).isIn(400, 505, -1);
            if (answer.status() > 0) {
                assertThat(answer.body()).as("error body").startsWith("{\"error\":\"");
            }
        }
        assertThat(engine.getstreamCalls()).isZero();
        assertStillServing();
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHeadersTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            long closedAfter = RawHttp.millisUntilClosed(socket, IDLE_TIMEOUT.toMillis() - 2000);
            assertThat(closedAfter).as("ms until the silent connection was closed").isBetween(
                    HEADERS_TIMEOUT.toMillis() - 500, HEADERS_TIMEOUT.toMillis() + 5000);
        }
        assertStillServing();
    }

    @Test
    void aConnectionThatTricklesItsHeadersIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /ace/status HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.setSoTimeout(50);
            long start = System.nanoTime();
            boolean closed = false;
            // One header byte every 200 ms keeps the connection from ever being idle.
            while (!closed && System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT.toMillis() - 2000)) {
                try {
                    out.write('X');
                    out.flush();
                } catch (java.io.IOException e) {
                    closed = true;
                    break;
                }
                try {
                    closed = socket.getInputStream().read(new byte[1024]) < 0;
                } catch (java.net.SocketTimeoutException e) {
                    Thread.sleep(150); // the scenario: the client trickles its header, a byte at a time
                } catch (java.net.SocketException e) {
                    closed = true;
                }
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(closed).as("the trickling connection was closed").isTrue();
            assertThat(elapsedMillis).isLessThan(HEADERS_TIMEOUT.toMillis() + 5000);
        }
        assertStillServing();
    }

    @Test
    void aStreamOutlivesTheHeadersTimeoutAndKeepAliveConnectionsServeSeveralRequests() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /ace/status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(RawHttp.read(in).status()).isEqualTo(200);
            out.write(("GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long start = System.nanoTime();
            long read = 0;
            byte[] buffer = new byte[16 * 1024];
            while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(HEADERS_TIMEOUT.toMillis() * 5 / 2)) {
                int n = in.read(buffer);
                assertThat(n).as("the stream is still open after %d bytes", read).isPositive();
                read += n;
            }
            assertThat(read).isGreaterThan(100_000);
        }
    }
}
