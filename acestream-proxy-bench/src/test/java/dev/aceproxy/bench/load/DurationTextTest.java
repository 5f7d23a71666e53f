package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void readsGoStyleDurations() {
        assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("1h0m5s")).isEqualTo(Duration.ofSeconds(3605));
    }

    @Test
    void aPlainNumberIsSeconds() {
        assertThat(DurationText.parse("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(DurationText.parse("0.25")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse(""));
        assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse("soon"));
        assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse("5x"));
        assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse("5s garbage"));
        assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse("-5s"));
    }

    @Test
    void formatsWhatItParses() {
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(DurationText.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(DurationText.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(DurationText.parse(DurationText.format(Duration.ofSeconds(3725)))).isEqualTo(Duration.ofSeconds(3725));
    }
}
