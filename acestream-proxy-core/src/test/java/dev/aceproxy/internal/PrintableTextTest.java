package dev.aceproxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.registry.ClientInfo;
import org.junit.jupiter.api.Test;

class PrintableTextTest {

    @Test
    void controlAndFormatCharactersBecomeSpaces() {
        assertThat(PrintableText.clean("VLC/3.0\r\nX-Evil: 1", 100)).isEqualTo("VLC/3.0  X-Evil: 1");
        assertThat(PrintableText.clean("a\u202eb\u2066c\u0000d\u0085e\u2028f", 100)).isEqualTo("a b c d e f");
        assertThat(PrintableText.clean("lone \ud800 surrogate", 100)).isEqualTo("lone   surrogate");
        assertThat(PrintableText.clean("Kodi/20 (Linux; Ünïcødé) 日本 \ud83d\ude00", 100))
                .isEqualTo("Kodi/20 (Linux; Ünïcødé) 日本 \ud83d\ude00");
    }

    @Test
    void longTextIsCutAndMarked() {
        assertThat(PrintableText.clean("x".repeat(10), 10)).isEqualTo("x".repeat(10));
        assertThat(PrintableText.clean("x".repeat(11), 10)).isEqualTo("x".repeat(10) + "...");
        // A surrogate pair is never split by the cut.
        assertThat(PrintableText.clean("abc\ud83d\ude00", 4)).isEqualTo("abc...");
    }

    @Test
    void aClientsTextsAreCleanedWhenTheyArrive() {
        ClientInfo info = ClientInfo.of("10.0.0.1", "Evil\u001b[2J" + "A".repeat(8000));
        assertThat(info.userAgent()).get().asString().hasSize(ClientInfo.MAX_TEXT + 3).startsWith("Evil [2J")
                .endsWith("...");
        assertThat(info.remoteAddress()).contains("10.0.0.1");
    }
}
