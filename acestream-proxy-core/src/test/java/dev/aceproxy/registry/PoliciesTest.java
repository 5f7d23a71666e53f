package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoliciesTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(SessionPolicy.DEFAULT).isEqualTo(new SessionPolicy(Duration.ofSeconds(30), Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThat(RetryPolicy.DEFAULT).isEqualTo(new RetryPolicy(Duration.ofMillis(500), 2.0, Duration.ofSeconds(8),
                0.2, 5, Duration.ofSeconds(30)));
        assertThat(Limits.UNLIMITED).isEqualTo(new Limits(0, 0, 0, Duration.ofSeconds(5)));
        assertThat(Limits.DEFAULT).isEqualTo(new Limits(8, 0, 64, Duration.ofSeconds(5), 8, 60));
        assertThat(EnginePoolPolicy.DEFAULT).isEqualTo(new EnginePoolPolicy(Duration.ofSeconds(10), 3));
    }

    @Test
    void backoffGrowsByTheMultiplierUpToTheCap() {
        RetryPolicy p = new RetryPolicy(Duration.ofMillis(500), 2.0, Duration.ofSeconds(8), 0.0, 5,
                Duration.ofSeconds(30));
        SplittableRandom r = new SplittableRandom(1);
        List<Duration> waits = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            waits.add(p.backoff(i, r));
        }
        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(8));
    }

    @Test
    void jitterSpreadsEachWaitWithinItsFractionAndNeverAboveTheCap() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 1000; i++) {
            Duration first = RetryPolicy.DEFAULT.backoff(1, r);
            assertThat(first).isBetween(Duration.ofMillis(400), Duration.ofMillis(600));
            assertThat(RetryPolicy.DEFAULT.backoff(10, r)).isBetween(Duration.ofMillis(6400), Duration.ofSeconds(8));
        }
        assertThatThrownBy(() -> RetryPolicy.DEFAULT.backoff(0, r)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidSettingsAreRefused() {
        Duration s = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new SessionPolicy(Duration.ZERO, s, s, s, s, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startTimeout");
        assertThatThrownBy(() -> new SessionPolicy(s, s, s.negated(), s, s, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger");
        assertThat(new SessionPolicy(s, s, Duration.ZERO, s, s, s).linger()).isZero();
        assertThatThrownBy(() -> new RetryPolicy(s, 0.5, s, 0, 1, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(s, 2, s, 1.5, 1, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(s, 2, s, 0.1, 0, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(s, 2, Duration.ofMillis(1), 0.1, 1, s))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> new Limits(-1, 0, 0, s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnginePoolPolicy(s, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Channel(" ", List.of(content(1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Channel("a", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Channel.of("a", content(1), content(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamRegistry.newBuilder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void recordsCopyTheirListsAndClientInfoHasShortcuts() {
        List<dev.aceproxy.engine.ContentId> ids = new ArrayList<>(List.of(content(1)));
        Channel c = new Channel("x", ids);
        ids.add(content(2));
        assertThat(c.alternates()).containsExactly(content(1));
        assertThat(ClientInfo.anonymous()).isEqualTo(new ClientInfo(Optional.empty(), Optional.empty()));
        assertThat(ClientInfo.of("1.2.3.4", null).remoteAddress()).contains("1.2.3.4");
        assertThat(SessionPolicy.DEFAULT.withLinger(Duration.ZERO).linger()).isZero();
    }
}
