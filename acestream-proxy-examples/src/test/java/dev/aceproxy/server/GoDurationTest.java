package dev.aceproxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
        "10s, PT10S",
        "1m30s, PT1M30S",
        "500ms, PT0.5S",
        "1.5h, PT1H30M",
        "0, PT0S",
        "2h45m, PT2H45M",
        "90s, PT1M30S",
        "1us, PT0.000001S",
        "1µs, PT0.000001S",
        "7ns, PT0.000000007S",
        "-1s, PT-1S",
        ".5s, PT0.5S",
        "1.s, PT1S"
    })
    void parsesGoSyntax(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "s", "1x", "1m30", "ten seconds", "1.2.3s", "1 s", "--1s", "1S", "-", "9999999999h"})
    void rejectsAnythingElse(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> GoDuration.parse(text)).withMessageContaining(text);
    }

    @Test
    void rejectsNull() {
        assertThatIllegalArgumentException().isThrownBy(() -> GoDuration.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10s", "1m30s", "500ms", "1h0m0s", "0s", "1.5s", "2h3m4s"})
    void formatsWhatItParses(String text) {
        assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(text);
    }
}
