package dev.aceproxy.server.faults;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import static dev.aceproxy.server.faults.FaultRig.ID_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.jetty.AceProxyHttpServer;
import dev.aceproxy.server.ListenAddress;
import dev.aceproxy.server.ReferenceServer;
import dev.aceproxy.server.ServerSettings;
import dev.aceproxy.server.SettingsParser;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reference server's security defaults: loopback unless told otherwise, and with an access
 * token nothing but {@code /healthz} answers without it, while the token never shows in logs or
 * in the status documents.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecurityPostureTest {

    private static final String TOKEN = "s3cret-T0ken-that-must-not-leak";

    @Test
    void theDefaultsBindLoopbackOnly() throws Exception {
        assertThat(ServerSettings.defaults().listen()).isEqualTo(ListenAddress.DEFAULT);
        assertThat(ListenAddress.DEFAULT.host()).isEqualTo("127.0.0.1");
        assertThat(ListenAddress.DEFAULT.allInterfaces()).isFalse();
        assertThat(SettingsParser.parse(List.of(), Map.of()).settings().listen().allInterfaces()).isFalse();
        assertThat(SettingsParser.parse(List.of("--listen", ":8080"), Map.of()).settings().listen().allInterfaces())
                .as("binding every interface is an explicit choice").isTrue();
        try (FakeAceEngine engine = FakeAceEngine.start();
             ReferenceServer server = ReferenceServer.start(settings(engine, "127.0.0.1:0", false))) {
            // The HTTP server's own default, for embedders, is loopback too.
            assertThat(server.baseUri().getHost()).isEqualTo("127.0.0.1");
        }
        assertThat(AceProxyHttpServer.newBuilder()).extracting("host").isEqualTo("127.0.0.1");
    }

    @Test
    void withATokenOnlyHealthAnswersWithoutItAndTheTokenNeverLeaks() throws Exception {
        CapturingHandler logs = new CapturingHandler();
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        root.addHandler(logs);
        root.setLevel(Level.ALL);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try (FakeAceEngine engine = FakeAceEngine.start();
             ReferenceServer server = ReferenceServer.start(settings(engine, "127.0.0.1:0", true))) {
            int port = server.baseUri().getPort();
            // Each refused request comes from its own loopback address, so that the wrong-token
            // throttle (AuthThrottleTest) does not slow this test down.
            int address = 2;
            for (String target : List.of("/ace/getstream?id=" + ID_A, "/ace/getstream/?id=" + ID_A, "/ace/status",
                    "/ace/status?id=" + ID_A, "/api/v1/streams", "/metrics", "/nothing", "/healthz/",
                    "/HEALTHZ", "/healthz/../metrics", "/healthz%2F..%2Fmetrics", "//healthz", "/ace/getstream?id=" + ID_A
                            + "&token=wrong", "/metrics?token=" + TOKEN.substring(1))) {
                RawExchange refused = RawExchange.getFrom("127.0.9." + address++, port, target);
                assertThat(refused.status()).as(target).isIn(401, 400);
                if (refused.status() == 400) {
                    // Only Jetty's own URI checks may refuse before the token filter (ambiguous paths).
                    assertThat(target).containsAnyOf("..", "//", "%2F");
                }
                assertThat(refused.body()).doesNotContain(TOKEN);
            }
            // Answers Jetty gives before the token filter: a request line too long (414) and headers
            // too large (431), both carrying the right token, which must not come back.
            String longLine = "GET /ace/getstream?id=" + ID_A + "&token=" + TOKEN + "&pad=" + "p".repeat(9000)
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            String bigHeaders = "GET /ace/status?token=" + TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nX-Pad: " + "p".repeat(9000) + "\r\nConnection: close\r\n\r\n";
            for (String raw : List.of(longLine, bigHeaders)) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(5000);
                    socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
                    String answer = new String(socket.getInputStream().readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
                    assertThat(answer).startsWith("HTTP/1.1 4").containsAnyOf(" 414 ", " 431 ").doesNotContain(TOKEN);
                }
            }
            for (String method : List.of("HEAD", "POST", "PUT", "DELETE", "OPTIONS")) {
                assertThat(status("127.0.9." + address++, port, method + " /api/v1/streams")).as(method).isEqualTo(401);
            }
            assertThat(RawExchange.get(port, "/healthz").status()).isEqualTo(200);
            // The status page's files hold no data (the page asks /api/v1/streams with the token).
            RawExchange page = RawExchange.get(port, "/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).doesNotContain(TOKEN).doesNotContain(ID_A);
            assertThat(engine.getstreamCalls()).as("nothing reached the engine without the token").isZero();

            try (SocketPlayer withQuery = SocketPlayer.open(port, "/ace/getstream?id=" + ID_A + "&token=" + TOKEN);
                 SocketPlayer withHeader = openWithBearer(port)) {
                withQuery.receives(188 * 100, java.time.Duration.ofSeconds(8));
                withHeader.receives(188 * 100, java.time.Duration.ofSeconds(8));
                for (String target : List.of("/api/v1/streams", "/metrics", "/ace/status", "/ace/status?id=" + ID_A)) {
                    RawExchange answer = RawExchange.get(port, target + (target.contains("?") ? "&" : "?") + "token=" + TOKEN);
                    assertThat(answer.status()).as(target).isEqualTo(200);
                    assertThat(answer.body()).as(target).doesNotContain(TOKEN);
                }
                assertThat(RawExchange.get(port, "/api/v1/streams?token=" + TOKEN).body()).contains("fault-suite");
                withQuery.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
                withHeader.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            }
        } finally {
            System.setErr(originalErr);
            root.removeHandler(logs);
            root.setLevel(rootLevel);
        }
        assertThat(logs.text()).as("log records").contains("access-token=set").doesNotContain(TOKEN);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain(TOKEN);
    }

    private static SocketPlayer openWithBearer(int port) throws Exception {
        return SocketPlayer.open(port, "/ace/getstream?id=" + ID_A, "Authorization: Bearer " + TOKEN + "\r\n");
    }

    private static int status(String from, int port, String requestLine) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new java.net.InetSocketAddress(from, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String head = SocketPlayer.readHead(socket.getInputStream());
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private static ServerSettings settings(FakeAceEngine engine, String listen, boolean token) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--listen", listen, "--engine", engine.baseUri().toString(),
                "--linger", "0s"));
        if (token) {
            args.addAll(List.of("--access-token", TOKEN));
        }
        return SettingsParser.parse(args, Map.of()).settings();
    }

    /** Keeps every record, formatted, at every level. */
    private static final class CapturingHandler extends Handler {
        private final StringBuilder text = new StringBuilder();
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public synchronized void publish(LogRecord record) {
            text.append(formatter.format(record));
        }

        synchronized String text() {
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
