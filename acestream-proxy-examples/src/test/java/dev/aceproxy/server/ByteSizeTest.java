package dev.aceproxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({
        "4MiB, 4194304",
        "4.2MB, 4200000",
        "4.2mb, 4200000",
        "65536, 65536",
        "64 KiB, 65536",
        "1k, 1000",
        "1Ki, 1024",
        "2GiB, 2147483648",
        "1.5MiB, 1572864",
        "100B, 100"
    })
    void parses(String text, long expected) {
        assertThat(ByteSize.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "MiB", "-1MiB", "4 parsecs", "1.2.3MB", "4MiBs", "99999999999GiB", "0x10"})
    void rejects(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> ByteSize.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"4194304, 4MiB", "65536, 64KiB", "1000, 1000", "1073741824, 1GiB", "0, 0"})
    void formats(long bytes, String expected) {
        assertThat(ByteSize.format(bytes)).isEqualTo(expected);
        assertThat(ByteSize.parse(ByteSize.format(bytes))).isEqualTo(bytes);
    }
}
