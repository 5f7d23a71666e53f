package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.internal.json.JsonReader;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A hostile user agent and a huge, hostile engine version give strict JSON of bounded size. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostileStringsTest {

    private static final String HOSTILE_VERSION = "3.1.\u202e\u0000\n" + "9".repeat(900_000) + "\"}";

    @Test
    void statusAndHealthStayStrictAndSmall() throws Exception {
        FakeAceEngine engine = FakeAceEngine.builder().version(HOSTILE_VERSION, 3_017_000).start();
        try (ProxyFixture proxy = ProxyFixture.start(engine, UnaryOperator.identity(), EndpointOptions.DEFAULT);
             Socket player = new Socket("127.0.0.1", proxy.server.port())) {
            // A user agent of 8 KB with a C1 control (0x85, which Jetty lets through as obs-text;
            // it refuses C0 controls such as ESC itself, with a 400).
            String userAgent = "Evil\u0085[2J" + "A".repeat(8000);
            player.getOutputStream().write(("GET /ace/getstream?id=" + ID + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "User-Agent: " + userAgent + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = player.getInputStream();
            player.setSoTimeout(10_000);
            assertThat(in.readNBytes(2048)).hasSize(2048);

            String health = proxy.get("/healthz").body();
            JsonReader.parseObject(health);
            assertThat(health.length()).isLessThan(1024);
            assertThat(health).doesNotContain("9".repeat(65)).doesNotContain("\\u202e").doesNotContain("\\u0000");

            String streams = proxy.get("/api/v1/streams").body();
            JsonReader.parseObject(streams);
            assertThat(streams.length()).isLessThan(16 * 1024);
            assertThat(streams).contains("\"user_agent\":\"Evil [2J") // the control became a space
                    .doesNotContain("A".repeat(ClientInfo.MAX_TEXT + 1))
                    .doesNotContain("\\u0085").doesNotContain("9".repeat(65));
        }
    }
}
