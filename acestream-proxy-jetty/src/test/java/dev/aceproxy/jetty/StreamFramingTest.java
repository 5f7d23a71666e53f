package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A stream's body as it is on the wire, read over a plain socket and checked byte for byte
 * against the source: chunked for an HTTP/1.1 client that keeps its connection, raw until the
 * connection closes for HTTP/1.0 and for a client that asked to close, and a clean end that
 * leaves an HTTP/1.1 connection ready for its next request.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamFramingTest {

    /** About 2 s of the bundled clip. */
    private static final int PACKETS = 2400;

    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = ProxyFixture.start();
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void anHttp11PlayerThatKeepsItsConnectionGetsWellFormedChunksOfTheExactStream() throws Exception {
        try (Socket socket = open()) {
            send(socket, "GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = socket.getInputStream();
            String head = RawHttp.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            ChunkedBody body = new ChunkedBody(in);
            verifyAgainstTheSource(body.readNBytes(188 * PACKETS));
        }
    }

    @Test
    void anHttp10PlayerGetsTheExactStreamUntilTheConnectionCloses() throws Exception {
        try (Socket socket = open()) {
            send(socket, "GET /ace/getstream?id=" + ID + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = socket.getInputStream();
            String head = RawHttp.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("transfer-encoding")
                    .doesNotContainIgnoringCase("content-length");
            verifyAgainstTheSource(in.readNBytes(188 * PACKETS));
        }
    }

    @Test
    void aPlayerThatAskedToCloseGetsTheExactStreamFramedAsItsHeadSays() throws Exception {
        try (Socket socket = open()) {
            send(socket, "GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            InputStream in = socket.getInputStream();
            String head = RawHttp.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            boolean chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
            InputStream body = chunked ? new ChunkedBody(in) : in;
            verifyAgainstTheSource(body.readNBytes(188 * PACKETS));
        }
    }

    @Test
    void aCleanEndClosesTheChunkedBodyAndTheConnectionServesItsNextRequest() throws Exception {
        try (Socket socket = open()) {
            send(socket, "GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertThat(RawHttp.readHead(in)).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            ChunkedBody body = new ChunkedBody(in);
            byte[] first = body.readNBytes(188 * 500);
            verifyAgainstTheSource(first);

            // A shutdown ends every stream cleanly: the body must end with its last chunk.
            proxy.registry.shutdown(Duration.ofSeconds(5));
            byte[] rest = body.readAllBytes();
            assertThat(body.sawLastChunk()).as("the body ended with its last chunk").isTrue();
            assertThat(rest.length % 188).as("whole packets to the end").isZero();
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            verifyAgainstTheSource(all);

            // The framing ended exactly where the server thinks: the next answer starts right there.
            send(socket, "GET /no/such/page HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.readHead(in)).startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void aStreamOutlivesTheConnectionsIdleTimeoutWhileItsBytesFlow() throws Exception {
        proxy.close();
        proxy = ProxyFixture.withIdleTimeout(Duration.ofMillis(500));
        try (Socket silent = open()) {
            // The timeout is in force: a connection with no traffic at all is closed.
            assertThat(RawHttp.millisUntilClosed(silent, 5000)).as("ms until a silent connection closed")
                    .isBetween(0L, 3000L);
        }
        try (Socket socket = open()) {
            send(socket, "GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertThat(RawHttp.readHead(in)).startsWith("HTTP/1.1 200");
            // About 4 s of the clip at its 4.3 Mbit/s, eight idle timeouts: the writes straight to
            // the end point must count as the connection's activity, or Jetty closes it.
            verifyAgainstTheSource(new ChunkedBody(in).readNBytes(188 * 11_000));
        }
    }

    private Socket open() throws IOException {
        Socket socket = new Socket("127.0.0.1", proxy.server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static void verifyAgainstTheSource(byte[] packets) {
        assertThat(packets.length).as("bytes read").isPositive();
        assertThat(packets.length % 188).as("whole packets").isZero();
        StreamOracle.ofBundledClip().verify(packets, StreamExpectation.fromAnEntryPoint());
    }
}
