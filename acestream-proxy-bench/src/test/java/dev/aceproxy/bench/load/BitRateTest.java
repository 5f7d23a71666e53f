package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class BitRateTest {

    @Test
    void readsDecimalUnits() {
        assertThat(BitRate.parse("4.3mbit").bitsPerSecond()).isEqualTo(4_300_000);
        assertThat(BitRate.parse("800kbit").bitsPerSecond()).isEqualTo(800_000);
        assertThat(BitRate.parse("2Mbps").bitsPerSecond()).isEqualTo(2_000_000);
        assertThat(BitRate.parse("1g").bitsPerSecond()).isEqualTo(1_000_000_000);
        assertThat(BitRate.parse("1500").bitsPerSecond()).isEqualTo(1500);
        assertThat(BitRate.parse(" 10 mbit ").bitsPerSecond()).isEqualTo(10_000_000);
    }

    @Test
    void clipAndZeroMeanTheClipsOwnRate() {
        assertThat(BitRate.parse("clip")).isEqualTo(BitRate.CLIP);
        assertThat(BitRate.parse("0")).isEqualTo(BitRate.CLIP);
        assertThat(BitRate.CLIP).hasToString("clip");
    }

    @Test
    void convertsToBytes() {
        assertThat(BitRate.parse("4.3mbit").bytesPerSecond()).isEqualTo(537_500.0);
    }

    @Test
    void rejectsWhatIsNotARate() {
        assertThatIllegalArgumentException().isThrownBy(() -> BitRate.parse("fast"));
        assertThatIllegalArgumentException().isThrownBy(() -> BitRate.parse("4.3 furlongs"));
        assertThatIllegalArgumentException().isThrownBy(() -> BitRate.parse("-1mbit"));
        assertThatIllegalArgumentException().isThrownBy(() -> new BitRate(-1));
    }
}
