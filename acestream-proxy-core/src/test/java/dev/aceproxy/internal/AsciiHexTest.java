package dev.aceproxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AsciiHexTest {

    @Test
    void valuesOfEveryAsciiHexDigit() {
        String digits = "0123456789abcdef";
        for (int i = 0; i < 16; i++) {
            assertThat(AsciiHex.value(digits.charAt(i))).isEqualTo(i);
            assertThat(AsciiHex.value(Character.toUpperCase(digits.charAt(i)))).isEqualTo(i);
        }
    }

    @Test
    void refusesEverythingElseIncludingDigitsOfOtherScripts() {
        for (char c : new char[] {'g', 'G', '/', ':', '@', '`', ' ', '\u0660', '\uff10', '\uff41'}) {
            assertThat(AsciiHex.value(c)).as("U+%04X", (int) c).isEqualTo(-1);
        }
        assertThat(Character.digit('\uff10', 16)).as("what the JDK would accept").isZero();
    }
}
