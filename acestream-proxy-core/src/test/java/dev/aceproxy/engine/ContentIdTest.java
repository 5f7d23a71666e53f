package dev.aceproxy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ContentIdTest {

    private static final String HEX = "0123456789abcdef0123456789ABCDEF01234567";

    @Test
    void normalisesToLowerCase() {
        ContentId id = ContentId.id(HEX);
        assertThat(id.hex()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(id.kind()).isEqualTo(ContentId.Kind.CONTENT_ID);
        assertThat(id).isEqualTo(ContentId.id(HEX.toLowerCase()));
        assertThat(id.toString()).isEqualTo("id=0123456789abcdef0123456789abcdef01234567");
    }

    @Test
    void idAndInfohashOfTheSameHexDiffer() {
        assertThat(ContentId.id(HEX)).isNotEqualTo(ContentId.infohash(HEX));
        assertThat(ContentId.infohash(HEX).kind().parameter()).isEqualTo("infohash");
    }

    @Test
    void rejectsWrongLengthWithTheLength() {
        assertThatIllegalArgumentException().isThrownBy(() -> ContentId.id("abc"))
                .withMessage("id must be exactly 40 hexadecimal characters, got 3 characters");
        assertThatIllegalArgumentException().isThrownBy(() -> ContentId.infohash(HEX + "0"))
                .withMessageContaining("got 41 characters");
    }

    @Test
    void rejectsNonHexWithThePosition() {
        assertThatIllegalArgumentException().isThrownBy(() -> ContentId.id("g" + HEX.substring(1)))
                .withMessage("id must be hexadecimal: character 1 is 'g'");
        assertThatIllegalArgumentException().isThrownBy(() -> ContentId.id(HEX.substring(1) + "\u00e9"))
                .withMessage("id must be hexadecimal: character 40 is U+00E9");
    }

    @Test
    void rejectsMissing() {
        assertThatIllegalArgumentException().isThrownBy(() -> ContentId.id(null)).withMessage("id is missing");
    }
}
