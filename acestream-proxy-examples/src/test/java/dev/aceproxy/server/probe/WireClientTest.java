package dev.aceproxy.server.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The recorder keeps the raw answer and names its framing, from a server that sends exact bytes. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WireClientTest {

    private ServerSocket server;
    private final WireClient wire = new WireClient("test", Duration.ofSeconds(2), new ProbeClock());

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** Serves one connection: reads the request head, writes {@code answer}, then closes unless told not to. */
    private URI serveOnce(String answer, boolean closeAfter) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                int matched = 0;
                while (matched < 4) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
                }
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                if (!closeAfter) {
                    Thread.sleep(2000); // the scenario: an answer whose connection stays open
                }
            } catch (IOException | InterruptedException ignored) {
                // the test is over
            }
        });
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/ace/stat/x");
    }

    @Test
    void aCloseDelimitedAnswerIsRecordedWhole() throws Exception {
        URI uri = serveOnce("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"error\": null}", true);

        Map<String, Object> r = wire.fetch(uri, Duration.ofSeconds(5)).toReport();

        assertThat(r).containsEntry("status_line", "HTTP/1.0 200 OK").containsEntry("framing", "close-delimited")
                .containsEntry("body", "{\"error\": null}").containsEntry("body_end", "close")
                .containsEntry("connection_after_body", "closed")
                .containsEntry("raw_head", "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n");
    }

    @Test
    void aChunkedAnswerIsDecodedAndNamed() throws Exception {
        URI uri = serveOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\n",
                false);

        Map<String, Object> r = wire.fetch(uri, Duration.ofSeconds(5)).toReport();

        assertThat(r).containsEntry("framing", "chunked").containsEntry("body", "{\"a\": 1}")
                .containsEntry("body_end", "last-chunk").containsEntry("connection_after_body", "kept open");
    }

    @Test
    void aRedirectWithoutLengthIsRecordedWithItsLocation() throws Exception {
        URI uri = serveOnce("HTTP/1.1 302 Found\r\nLocation: /ace/r/x\r\n\r\n", true);

        Map<String, Object> r = wire.fetch(uri, Duration.ofSeconds(5)).toReport();

        assertThat(r).containsEntry("status", 302).containsEntry("framing", "close-delimited")
                .containsEntry("body_bytes", 0).containsEntry("body_end", "close");
        assertThat(r.get("headers")).asString().contains("Location", "/ace/r/x");
    }

    @Test
    void aBrokenHeadIsKeptAsItCame() throws Exception {
        URI uri = serveOnce("ICY 200 OK\r\nicy-name: x\r\n", true);

        Map<String, Object> r = wire.fetch(uri, Duration.ofSeconds(5)).toReport();

        assertThat(r).containsEntry("status", -1).containsEntry("head_complete", false)
                .containsEntry("framing", "none").containsEntry("raw_head", "ICY 200 OK\r\nicy-name: x\r\n");
    }
}
