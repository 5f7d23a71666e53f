package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.Eventually;
import java.io.InputStream;
import java.io.OutputStream;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.testkit.FakeAceEngine;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 40, unit = TimeUnit.SECONDS)
class RawSocketTest {

    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = ProxyFixture.start();
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private Socket request(String target) throws Exception {
        Socket socket = new Socket("127.0.0.1", proxy.server.port());
        socket.setSoTimeout(5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: raw-test\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return socket;
    }


    @Test
    void aClientThatClosesItsSocketIsUnsubscribedPromptly() throws Exception {
        try (Socket socket = request("/ace/getstream?id=" + ID)) {
            InputStream in = socket.getInputStream();
            assertThat(RawHttp.readHead(in)).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: video/mp2t");
            assertThat(in.readNBytes(64 * 1024)).hasSize(64 * 1024);
            assertThat(proxy.registry.status().totals().clients()).isEqualTo(1);
        }
        Eventually.within(Duration.ofSeconds(3), "no client after the socket closed",
                () -> proxy.registry.status().totals().clients() == 0);
    }

    @Test
    void aPlayerThatStopsReadingIsCutOffAtItsQueueBoundNotAtTheIdleTimeout() throws Exception {
        proxy.close();
        // A fast engine fills the kernel's socket buffers (megabytes on loopback) in moments.
        proxy = ProxyFixture.start(FakeAceEngine.builder().bitrate(40_000_000).start(),
                b -> b.playerPolicy(PlayerPolicy.DEFAULT.withMaxQueuedBytes(256 * 1024)), EndpointOptions.DEFAULT);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", proxy.server.port()));
            socket.getOutputStream().write(("GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            Eventually.within(Duration.ofSeconds(15), "an eviction",
                    () -> proxy.registry.status().totals().evictions() > 0);
            assertThat(proxy.registry.status().totals().evictions()).as("evictions").isEqualTo(1);
            // The writer was blocked on the full socket: closing the sink must fail that write at
            // once, so the client is gone within moments, not after the connection's idle timeout.
            Eventually.within(Duration.ofSeconds(5), "no client after the eviction",
                    () -> proxy.registry.status().totals().clients() == 0);
        }
    }

    @Test
    void malformedEscapeIs400Json() throws Exception {
        try (Socket socket = request("/ace/getstream?id=%zz")) {
            InputStream in = socket.getInputStream();
            String head = RawHttp.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 400").containsIgnoringCase("application/json");
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(body).contains("\"error\":\"invalid_query\"");
        }
        assertThat(proxy.engine.getstreamCalls()).isZero();
    }
}
