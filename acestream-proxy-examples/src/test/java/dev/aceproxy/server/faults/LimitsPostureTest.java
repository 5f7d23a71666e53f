package dev.aceproxy.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.server.ReferenceServer;
import dev.aceproxy.server.SettingsParser;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reference server's limits, counted at the engine. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LimitsPostureTest {

    @Test
    void maxStreamsTwoGivesA503AndExactlyTwoGetstreams() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
             ReferenceServer server = ReferenceServer.start(SettingsParser.parse(List.of("--listen", "127.0.0.1:0",
                     "--engine", engine.baseUri().toString(), "--max-streams", "2", "--linger", "0s"), Map.of())
                     .settings());
             SocketPlayer a = SocketPlayer.open(server.baseUri().getPort(), "/ace/getstream?id=" + id(1));
             SocketPlayer b = SocketPlayer.open(server.baseUri().getPort(), "/ace/getstream?id=" + id(2))) {
            a.receives(188 * 100, Duration.ofSeconds(10));
            b.receives(188 * 100, Duration.ofSeconds(10));
            RawExchange third = RawExchange.get(server.baseUri().getPort(), "/ace/getstream?id=" + id(3));
            assertThat(third.status()).isEqualTo(503);
            assertThat(third.header("Retry-After")).isNotBlank();
            assertThat(third.body()).contains("\"error\":\"limit_reached\"");
            assertThat(engine.getstreamCalls()).isEqualTo(2);
            a.close();
            b.close();
            Eventually.within(Duration.ofSeconds(10), "both engine sessions stopped after their players left",
                    () -> engine.sessionsOutstanding() == 0);
            assertThat(engine.stopCalls()).isEqualTo(2);
        }
    }

    @Test
    void fiftyIdsRequestedAndDroppedLeaveAsManyStopsAsGetstreams() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
             ReferenceServer server = ReferenceServer.start(SettingsParser.parse(List.of("--listen", "127.0.0.1:0",
                     "--engine", engine.baseUri().toString(), "--linger", "1s"), Map.of()).settings())) {
            int port = server.baseUri().getPort();
            for (int i = 1; i <= 50; i++) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.getOutputStream().write(("GET /ace/getstream?id=" + id(i) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    // Dropped at once, before any answer.
                }
            }
            // Every session the proxy started is stopped again: none is left holding the engine.
            Eventually.within(Duration.ofSeconds(60), "every started session stopped",
                    () -> engine.sessionsStarted() > 0 && server.registry().status().sessions().isEmpty()
                            && engine.sessionsOutstanding() == 0);
            assertThat(engine.stopCalls()).isEqualTo(engine.getstreamCalls());
        }
    }

    private static String id(int n) {
        return String.format(Locale.ROOT, "%040x", n + 0xabc000);
    }
}
