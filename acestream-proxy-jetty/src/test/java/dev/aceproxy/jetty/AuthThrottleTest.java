package dev.aceproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.jetty.internal.AuthFailureThrottle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Wrong tokens from one address are answered ever more slowly; other addresses are not. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuthThrottleTest {

    private static final String TOKEN = "throttle-test-token-42";

    @Test
    void guessesFromOneAddressAreSlowedAndOthersAreNot() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(UnaryOperator.identity(),
                EndpointOptions.DEFAULT.withAccessToken(TOKEN))) {
            int port = proxy.server.port();
            for (int i = 0; i < AuthFailureThrottle.FREE_FAILURES; i++) {
                assertThat(get(port, "127.0.0.7", "wrong-guess-" + i).status()).isEqualTo(401);
            }
            long start = System.nanoTime();
            assertThat(get(port, "127.0.0.7", "wrong-guess-again").status()).isEqualTo(401);
            long firstSlowed = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            assertThat(get(port, "127.0.0.7", "and-again").status()).isEqualTo(401);
            long secondSlowed = (System.nanoTime() - start) / 1_000_000;
            // Lower bounds only: the answer waited at least as long as the throttle says.
            assertThat(firstSlowed).isGreaterThanOrEqualTo(AuthFailureThrottle.FIRST_DELAY.toMillis());
            assertThat(secondSlowed).isGreaterThanOrEqualTo(2 * AuthFailureThrottle.FIRST_DELAY.toMillis());

            // The right token still gets in, and is answered 200.
            assertThat(get(port, "127.0.0.7", TOKEN).status()).isEqualTo(200);
            // Another address was never slowed: its free failures are its own.
            assertThat(get(port, "127.0.0.8", "nope").status()).isEqualTo(401);
        }
    }

    private static RawHttp.Answer get(int port, String from, String token) throws Exception {
        return RawHttp.exchangeFrom(from, port, ("GET /ace/status?token=" + token
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
}
