package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.Eventually;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ClientFleetTest {

    private ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() throws IOException {
        if (listener != null) {
            listener.close();
        }
        threads.shutdownNow();
    }

    @Test
    void fastClientsCountEveryPayloadByteAndSeeTheEnd() throws Exception {
        InetSocketAddress address = serve((in, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] data = new byte[18800];
            java.util.Arrays.fill(data, (byte) 0x47);
            for (int i = 0; i < 10; i++) {
                write(out, Integer.toHexString(data.length) + "\r\n");
                out.write(data);
                write(out, "\r\n");
                out.flush();
            }
            write(out, "0\r\n\r\n");
        });
        try (ClientFleet fleet = new ClientFleet(address, "/ace/getstream?id=x", 2, 65536, 1024)) {
            List<StreamConnection> clients = List.of(fleet.open(ClientRole.JOINER, 0),
                    fleet.open(ClientRole.JOINER, 0), fleet.open(ClientRole.STARTER, 0));
            awaitEnd(clients);
            for (StreamConnection c : clients) {
                assertThat(c.outcome()).isEqualTo(StreamConnection.Outcome.ENDED_BY_SERVER);
                assertThat(c.payloadBytes()).isEqualTo(188_000);
                assertThat(c.hasFirstByte()).isTrue();
                assertThat(c.timeToFirstByteNanos()).isPositive();
                assertThat(c.startedOnSyncByte()).isTrue();
            }
            assertThat(fleet.connections()).hasSize(3);
        }
    }

    @Test
    void anErrorStatusFailsTheClient() throws Exception {
        InetSocketAddress address = serve((in, out) ->
                write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
        try (ClientFleet fleet = new ClientFleet(address, "/", 1, 65536, 1024)) {
            StreamConnection c = fleet.open(ClientRole.JOINER, 0);
            awaitEnd(List.of(c));
            assertThat(c.outcome()).isEqualTo(StreamConnection.Outcome.FAILED);
            assertThat(c.failure()).contains("404");
            assertThat(c.hasFirstByte()).isFalse();
        }
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        try (ClientFleet fleet = new ClientFleet(nobody, "/", 1, 65536, 1024)) {
            StreamConnection c = fleet.open(ClientRole.JOINER, 0);
            awaitEnd(List.of(c));
            assertThat(c.outcome()).isEqualTo(StreamConnection.Outcome.FAILED);
        }
    }

    @Test
    void aStuckClientReadsAlmostNothing() throws Exception {
        InetSocketAddress address = serve((in, out) -> {
            write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] data = new byte[65536];
            java.util.Arrays.fill(data, (byte) 0x47);
            for (int i = 0; i < 64; i++) { // 4 MiB: far more than the socket buffers hold
                write(out, Integer.toHexString(data.length) + "\r\n");
                out.write(data);
                write(out, "\r\n");
            }
        });
        try (ClientFleet fleet = new ClientFleet(address, "/", 1, 65536, 512)) {
            StreamConnection stuck = fleet.open(ClientRole.STUCK, 4096);
            StreamConnection fast = fleet.open(ClientRole.JOINER, 0);
            Thread.sleep(1500); // the scenario: a window of 1.5 s of a reader paced at 512 bytes a second
            assertThat(stuck.outcome()).isEqualTo(StreamConnection.Outcome.OPEN);
            assertThat(stuck.payloadBytes()).as("at most two trickles of 512 bytes").isLessThanOrEqualTo(1024);
            awaitEnd(List.of(fast));
            assertThat(fast.payloadBytes()).isEqualTo(64L * 65536);
            stuck.close();
            assertThat(stuck.outcome()).isEqualTo(StreamConnection.Outcome.CLOSED);
        }
    }

    private static void awaitEnd(List<StreamConnection> clients) throws InterruptedException {
        Eventually.within(Duration.ofSeconds(10), "every client ended",
                () -> clients.stream().noneMatch(c -> c.outcome() == StreamConnection.Outcome.OPEN));
    }

    private InetSocketAddress serve(BiConsumerIo handler) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(() -> {
            while (!listener.isClosed()) {
                Socket s = listener.accept();
                threads.submit(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        readHead(in);
                        handler.accept(in, s.getOutputStream());
                    }
                    return null;
                });
            }
            return null;
        });
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A handler that may throw I/O errors. */
    private interface BiConsumerIo {
        void accept(InputStream in, OutputStream out) throws IOException;
    }

}
