package dev.aceproxy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.engine.internal.MalformedHttpException;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The playback's own HTTP/1.1 reading over a socket: framing, bounds, timeouts, interrupts, and
 * that every connection is released.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PlaybackWireTest {

    private static final String HEX = AceEngineClientTest.HEX;
    private static final ContentId CONTENT = AceEngineClientTest.CONTENT;
    private static final String PATH = "/ace/r/" + HEX + "/k";

    private HoldingServer server;
    private AceEngineClient client;

    @BeforeEach
    void start() throws IOException {
        server = new HoldingServer();
        client = AceEngineClient.newBuilder().baseUri(server.baseUri()).build();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
    }

    private EngineSession session() {
        URI base = server.baseUri();
        return new EngineSession(CONTENT, base.resolve(PATH), base.resolve("/ace/stat/" + HEX + "/k"),
                base.resolve("/ace/cmd/" + HEX + "/k"), HEX, "", EngineFlag.YES, EngineFlag.NO);
    }

    private String engine() {
        return "AceStream engine at " + server.baseUri();
    }

    @Test
    void decodesAChunkedPlaybackAndReleasesTheConnectionOnClose() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nGab\r\n2;x=y\r\ncd\r\n", false);

        try (InputStream ts = client.openPlayback(session())) {
            byte[] five = new byte[5];
            assertThat(ts.readNBytes(five, 0, 5)).isEqualTo(5);
            assertThat(new String(five, StandardCharsets.ISO_8859_1)).isEqualTo("Gabcd");
            assertThat(server.open()).isEqualTo(1);
        }

        Eventually.within(AceEngineClientTest.WAIT, "playback connection closed", () -> server.open() == 0);
        assertThat(server.heads().get(0)).isEqualTo("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                + "\r\nUser-Agent: " + AceEngineClient.DEFAULT_USER_AGENT
                + "\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n");
    }

    @Test
    void readsAContentLengthBodyToItsEnd() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nGab and what follows is not body", false);

        try (InputStream ts = client.openPlayback(session())) {
            assertThat(ts.readAllBytes()).containsExactly('G', 'a', 'b');
        }
        Eventually.within(AceEngineClientTest.WAIT, "playback connection closed", () -> server.open() == 0);
    }

    @Test
    void anEndInsideAChunkIsAnIoExceptionForTheReader() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nGabc", true);

        try (InputStream ts = client.openPlayback(session())) {
            assertThat(ts.readNBytes(4)).containsExactly('G', 'a', 'b', 'c');
            assertThatThrownBy(ts::read)
                    .isInstanceOf(EOFException.class)
                    .hasMessage("the engine's chunked body ended in the middle of a chunk, 12 bytes short");
        }
        Eventually.within(AceEngineClientTest.WAIT, "playback connection closed", () -> server.open() == 0);
    }

    @Test
    void aMalformedChunkSizeIsAnIoExceptionForTheReader() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nGab\r\n", false);

        try (InputStream ts = client.openPlayback(session())) {
            assertThatThrownBy(ts::read)
                    .isInstanceOf(MalformedHttpException.class)
                    .hasMessageStartingWith("a chunk-size line that does not start with a hex size");
        }
        Eventually.within(AceEngineClientTest.WAIT, "playback connection closed", () -> server.open() == 0);
    }

    @Test
    void refusesAnOversizedHead() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\n" + ("X: " + "a".repeat(8000) + "\r\n").repeat(9) + "\r\n", false);

        assertThatThrownBy(() -> client.openPlayback(session()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessage(engine() + " answered the playback of id=" + HEX
                        + " with malformed HTTP: a response head larger than 65536 bytes");
        Eventually.within(AceEngineClientTest.WAIT, "refused playback closed", () -> server.open() == 0);
    }

    @Test
    void refusesContradictoryFraming() {
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", false);
        assertThatThrownBy(() -> client.openPlayback(session()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("with malformed HTTP: both Transfer-Encoding and Content-Length");

        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", false);
        assertThatThrownBy(() -> client.openPlayback(session()))
                .isInstanceOf(EngineProtocolException.class)
                .hasMessageEndingWith("with malformed HTTP: a Transfer-Encoding other than chunked: gzip, chunked");
    }

    @Test
    void aHeadThatNeverFinishesTimesOut() throws Exception {
        client.close();
        client = AceEngineClient.newBuilder().baseUri(server.baseUri())
                .playbackHeadersTimeout(Duration.ofMillis(300)).build();
        server.answer("HTTP/1.1 200 OK\r\nX-Partial: 1\r\n", false);

        assertThatThrownBy(() -> client.openPlayback(session()))
                .isInstanceOf(EngineTimeoutException.class)
                .hasMessage(engine() + " did not answer the playback of id=" + HEX
                        + " within 300 ms; is the engine overloaded or hung?");
        Eventually.within(AceEngineClientTest.WAIT, "abandoned playback closed", () -> server.open() == 0);
    }

    @Test
    void anHttpErrorReadsABoundedChunkedBody() throws Exception {
        server.answer("HTTP/1.1 500 Internal\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nstart\r\n8\r\n timeout\r\n0\r\n\r\n",
                false);

        assertThatThrownBy(() -> client.openPlayback(session()))
                .isInstanceOfSatisfying(EngineTimeoutException.class,
                        e -> assertThat(e.engineError()).contains("start timeout"));
        Eventually.within(AceEngineClientTest.WAIT, "refused playback closed", () -> server.open() == 0);
    }

    @Test
    void anInterruptEndsAWaitForTheHeadOnAPlatformThread() throws Exception {
        interruptEndsAWaitForTheHead(Thread.ofPlatform());
    }

    @Test
    void anInterruptEndsAWaitForTheHeadOnAVirtualThread() throws Exception {
        interruptEndsAWaitForTheHead(Thread.ofVirtual());
    }

    private void interruptEndsAWaitForTheHead(Thread.Builder threads) throws Exception {
        server.answer("", false);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = threads.name("aceproxy-test-caller").start(() -> {
            try {
                client.openPlayback(session()).close();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        Eventually.within(AceEngineClientTest.WAIT, "the request reached the engine", () -> server.heads().size() == 1);

        caller.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        Eventually.within(AceEngineClientTest.WAIT, "interrupted playback closed", () -> server.open() == 0);
    }

    @Test
    void aRefusedConnectionIsEngineUnavailable() throws Exception {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (AceEngineClient down = AceEngineClient.newBuilder().baseUri(closed).build()) {
            EngineSession session = new EngineSession(CONTENT, closed.resolve(PATH), closed.resolve(PATH),
                    closed.resolve(PATH), HEX, "", EngineFlag.YES, EngineFlag.NO);
            assertThatThrownBy(() -> down.openPlayback(session))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessage("AceStream engine at " + closed + " refused the connection for the playback of id="
                            + HEX + "; is the engine running and listening there?");
        }
    }

    @Test
    void anInterruptEndsABlockedReadAndReleasesTheConnection() throws Exception {
        try (FakeAceEngine fake = FakeAceEngine.start();
             AceEngineClient engine = AceEngineClient.newBuilder().baseUri(fake.baseUri()).build()) {
            EngineSession session = engine.startSession(CONTENT, Map.of());
            InputStream ts = engine.openPlayback(session);
            assertThat(ts.read()).isEqualTo(0x47);
            fake.stallPlaybacks(Duration.ofSeconds(30));
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().name("aceproxy-test-reader").start(() -> {
                byte[] buffer = new byte[65536];
                try {
                    while (ts.read(buffer) >= 0) {
                        // drain what was sent before the stall
                    }
                    outcome.complete("eof");
                } catch (IOException e) {
                    outcome.complete(e);
                }
            });
            AceEngineClientTest.awaitBlocked(reader);
            assertThat(outcome).isNotDone();

            reader.interrupt();

            assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
            fake.stallPlaybacks(Duration.ZERO);
            Eventually.within(AceEngineClientTest.WAIT, "playback connection closed",
                    () -> fake.openPlaybackConnections() == 0);
            ts.close();
        }
    }

    @Test
    void closingTheClientEndsPlaybacksAlsoWithASuppliedHttpClient() throws Exception {
        try (java.net.http.HttpClient supplied = java.net.http.HttpClient.newHttpClient();
             AceEngineClient engine = AceEngineClient.newBuilder().baseUri(server.baseUri())
                     .httpClient(supplied).build()) {
            server.answer("HTTP/1.1 200 OK\r\n\r\nG", false);
            InputStream ts = engine.openPlayback(session());
            assertThat(ts.read()).isEqualTo('G');
            CompletableFuture<Object> outcome = CompletableFuture.supplyAsync(() -> {
                try {
                    return ts.read();
                } catch (IOException e) {
                    return e;
                }
            }, r -> Thread.ofVirtual().name("aceproxy-test-reader").start(r));

            engine.close();

            assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
            Eventually.within(AceEngineClientTest.WAIT, "playback connection closed", () -> server.open() == 0);
            ts.close();
        }
    }

    /**
     * Answers every request with one scripted byte sequence, then either closes at once or holds
     * the connection until the client closes it; counts connections still open.
     */
    private static final class HoldingServer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> connections = new CopyOnWriteArrayList<>();
        private final List<String> heads = new CopyOnWriteArrayList<>();
        private final AtomicInteger open = new AtomicInteger();
        private volatile byte[] answer = new byte[0];
        private volatile boolean closeAfterAnswer;

        HoldingServer() throws IOException {
            Thread.ofVirtual().name("aceproxy-test-holding-server").start(this::acceptLoop);
        }

        void answer(String text, boolean thenClose) {
            this.answer = text.getBytes(StandardCharsets.ISO_8859_1);
            this.closeAfterAnswer = thenClose;
        }

        URI baseUri() {
            return URI.create("http://127.0.0.1:" + port());
        }

        int port() {
            return socket.getLocalPort();
        }

        int open() {
            return open.get();
        }

        List<String> heads() {
            return heads;
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.add(connection);
                    open.incrementAndGet();
                    Thread.ofVirtual().name("aceproxy-test-holding-connection").start(() -> serve(connection));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = connection.getInputStream();
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.append((char) b);
                }
                heads.add(head.toString());
                OutputStream out = connection.getOutputStream();
                out.write(answer);
                out.flush();
                if (closeAfterAnswer) {
                    return;
                }
                while (in.read() >= 0) {
                    // hold until the client closes
                }
            } catch (IOException gone) {
                // the client went away
            } finally {
                open.decrementAndGet();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : connections) {
                connection.close();
            }
        }
    }
}
