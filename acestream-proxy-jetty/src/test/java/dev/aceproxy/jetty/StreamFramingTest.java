package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import java.io.ByteArrayOutputStream;
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
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            Chunked body = new Chunked(in);
            verifyAgainstTheSource(body.readNBytes(188 * PACKETS));
        }
    }

    @Test
    void anHttp10PlayerGetsTheExactStreamUntilTheConnectionCloses() throws Exception {
        try (Socket socket = open()) {
            send(socket, "GET /ace/getstream?id=" + ID + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = socket.getInputStream();
            String head = readHead(in);
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
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            boolean chunked = head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
            InputStream body = chunked ? new Chunked(in) : in;
            verifyAgainstTheSource(body.readNBytes(188 * PACKETS));
        }
    }

    @Test
    void aCleanEndClosesTheChunkedBodyAndTheConnectionServesItsNextRequest() throws Exception {
        try (Socket socket = open()) {
            send(socket, "GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = socket.getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
            Chunked body = new Chunked(in);
            byte[] first = body.readNBytes(188 * 500);
            verifyAgainstTheSource(first);

            // A shutdown ends every stream cleanly: the body must end with its last chunk.
            proxy.registry.shutdown(Duration.ofSeconds(5));
            byte[] rest = body.readAllBytes();
            assertThat(body.sawLastChunk).as("the body ended with its last chunk").isTrue();
            assertThat(rest.length % 188).as("whole packets to the end").isZero();
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            verifyAgainstTheSource(all);

            // The framing ended exactly where the server thinks: the next answer starts right there.
            send(socket, "GET /no/such/page HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertThat(readHead(in)).startsWith("HTTP/1.1 404");
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
            assertThat(readHead(in)).startsWith("HTTP/1.1 200");
            // About 4 s of the clip at its 4.3 Mbit/s, eight idle timeouts: the writes straight to
            // the end point must count as the connection's activity, or Jetty closes it.
            verifyAgainstTheSource(new Chunked(in).readNBytes(188 * 11_000));
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

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed inside a response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** A strict decoder of a chunked body: any deviation from the grammar fails the read. */
    private static final class Chunked extends InputStream {

        private final InputStream in;
        private int left;
        private boolean sawLastChunk;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (sawLastChunk) {
                return -1;
            }
            if (left == 0) {
                left = sizeLine();
                if (left == 0) {
                    expect('\r');
                    expect('\n');
                    sawLastChunk = true;
                    return -1;
                }
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) {
                throw new IOException("the connection closed inside a chunk");
            }
            left -= n;
            if (left == 0) {
                expect('\r');
                expect('\n');
            }
            return n;
        }

        private int sizeLine() throws IOException {
            StringBuilder hex = new StringBuilder();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0 || Character.digit(c, 16) < 0 || hex.length() > 8) {
                    throw new IOException("not a chunk size line: '" + hex + "' then " + c);
                }
                hex.append((char) c);
            }
            expect('\n');
            if (hex.isEmpty()) {
                throw new IOException("an empty chunk size line");
            }
            return Integer.parseInt(hex.toString(), 16);
        }

        private void expect(char wanted) throws IOException {
            int c = in.read();
            if (c != wanted) {
                throw new IOException("expected " + (int) wanted + " in the chunk framing, got " + c);
            }
        }
    }
}
