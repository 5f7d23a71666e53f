package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaults() {
        LoadOptions o = LoadOptions.parse();
        assertThat(o.clients()).isEqualTo(10);
        assertThat(o.stuck()).isZero();
        assertThat(o.rate().bitsPerSecond()).isEqualTo(4_300_000);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.churn()).isFalse();
        assertThat(o.sample()).isEmpty();
        assertThat(o.selectors()).isEqualTo(2);
        assertThat(o.contentId()).isEqualTo(LoadOptions.DEFAULT_CONTENT_ID);
    }

    @Test
    void readsEveryOptionInBothSpellings() {
        LoadOptions o = LoadOptions.parse("--clients", "1000", "--stuck=3", "--rate", "2mbit", "--duration", "1m",
                "--warmup=10s", "--server-jar", "/tmp/s.jar", "--server-arg", "--overflow", "--server-arg=skip",
                "--server-jvm-arg", "-Xmx128m", "--churn", "--sample", "10s", "--selectors", "3",
                "--read-buffer", "65536", "--stuck-rcvbuf", "2048", "--stuck-read", "188", "--ramp", "2s",
                "--join-timeout", "20s", "--start-timeout", "30s", "--content-id", "ff".repeat(20),
                "--server-log", "/tmp/server.log");
        assertThat(o.clients()).isEqualTo(1000);
        assertThat(o.stuck()).isEqualTo(3);
        assertThat(o.rate().bitsPerSecond()).isEqualTo(2_000_000);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.serverJar()).isEqualTo(Path.of("/tmp/s.jar"));
        assertThat(o.serverArgs()).containsExactly("--overflow", "skip");
        assertThat(o.serverJvmArgs()).containsExactly("-Xmx128m");
        assertThat(o.churn()).isTrue();
        assertThat(o.sample()).contains(Duration.ofSeconds(10));
        assertThat(o.selectors()).isEqualTo(3);
        assertThat(o.readBufferBytes()).isEqualTo(65536);
        assertThat(o.stuckReceiveBufferBytes()).isEqualTo(2048);
        assertThat(o.stuckReadBytesPerSecond()).isEqualTo(188);
        assertThat(o.ramp()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.joinTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(o.startTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.contentId()).isEqualTo("ff".repeat(20));
        assertThat(o.serverLog()).contains(Path.of("/tmp/server.log"));
    }

    @Test
    void aRepeatedSingleOptionTakesItsLastValue() {
        assertThat(LoadOptions.parse("--server-jar", "a.jar", "--server-jar", "b.jar").serverJar())
                .isEqualTo(Path.of("b.jar"));
    }

    @Test
    void rejectsBadCommandLines() {
        for (List<String> args : List.of(List.of("--clients", "0"), List.of("--clients", "many"),
                List.of("--clients"), List.of("--bogus", "1"), List.of("stray"), List.of("--duration", "0s"),
                List.of("--rate", "fast"), List.of("--content-id", "abc"), List.of("--sample", "1ms"),
                List.of("--stuck", "-1"), List.of("--selectors", "0"))) {
            assertThatIllegalArgumentException().as("%s", args)
                    .isThrownBy(() -> LoadOptions.parse(args.toArray(String[]::new)));
        }
    }
}
