package dev.aceproxy.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompareOptionsTest {

    @Test
    void defaultsRunTheWholeMatrixWithCurl() {
        CompareOptions o = CompareOptions.parse();
        assertThat(o.targets()).containsExactly(Target.OURS, Target.ACEXY, Target.FLOOR);
        assertThat(o.counts()).containsExactly(0, 1, 10, 300, 1000);
        assertThat(o.clients()).containsExactly(ClientKind.CURL);
        assertThat(o.rate().bitsPerSecond()).isEqualTo(4_300_000);
        assertThat(o.maxPlayers()).isEqualTo(1000);
        assertThat(o.acexyBuffer()).isEmpty();
        // the default matrix: 3 targets x (idle + 4 counts) stays near ten minutes of runs
        long seconds = 3 * (o.settle().plus(o.idle()).toSeconds()
                + 4 * o.warmup().plus(o.duration()).toSeconds());
        assertThat(seconds).isLessThanOrEqualTo(600);
    }

    @Test
    void readsListsAndEveryOption() {
        CompareOptions o = CompareOptions.parse("--targets", "floor,ours", "--counts=idle,1,300", "--clients",
                "curl,readers", "--warmup", "2s", "--duration", "20s", "--settle", "3s", "--tail", "500ms",
                "--idle", "5s", "--server-jar", "/s.jar", "--peers", "/p", "--ours-jvm-arg", "-Xmx512m",
                "--json", "/o.json", "--selectors", "3", "--start-timeout", "9s", "--acexy-buffer", "64KiB");
        assertThat(o.targets()).containsExactly(Target.FLOOR, Target.OURS);
        assertThat(o.counts()).containsExactly(0, 1, 300);
        assertThat(o.clients()).containsExactly(ClientKind.CURL, ClientKind.READERS);
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(o.settle()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.tail()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.idle()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.serverJar()).isEqualTo(Path.of("/s.jar"));
        assertThat(o.peers()).isEqualTo(Path.of("/p"));
        assertThat(o.oursJvmArgs()).isEqualTo(List.of("-Xmx512m"));
        assertThat(o.json()).isEqualTo(Path.of("/o.json"));
        assertThat(o.selectors()).isEqualTo(3);
        assertThat(o.startTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(o.acexyBuffer()).isEqualTo(Optional.of("64KiB"));
    }

    @Test
    void rejectsBadInput() {
        assertThatIllegalArgumentException().isThrownBy(() -> CompareOptions.parse("--targets", "nginx"));
        assertThatIllegalArgumentException().isThrownBy(() -> CompareOptions.parse("--counts", "-1"));
        assertThatIllegalArgumentException().isThrownBy(() -> CompareOptions.parse("--counts", "many"));
        assertThatIllegalArgumentException().isThrownBy(() -> CompareOptions.parse("--clients", "wget"));
        assertThatIllegalArgumentException().isThrownBy(() -> CompareOptions.parse("--duration", "6s",
                "--settle", "5s"));
        assertThatIllegalArgumentException().isThrownBy(() -> CompareOptions.parse("--bogus", "1"));
        assertThatIllegalArgumentException().isThrownBy(() -> CompareOptions.parse("--json"));
        assertThatIllegalArgumentException().isThrownBy(() -> CompareOptions.parse("stray"));
    }
}
