package dev.aceproxy.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BuilderTest {

    @Test
    void rejectsBytesThatAreNotWholePackets() {
        assertThatThrownBy(() -> FakeAceEngine.builder().clip(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeAceEngine.builder().clip(new byte[100])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FakeAceEngine.builder().clip(new byte[188])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sync");
    }

    @Test
    void clipWithoutPcrNeedsABitrate() throws Exception {
        byte[] nullPackets = new byte[188 * 100];
        for (int o = 0; o < nullPackets.length; o += 188) {
            nullPackets[o] = 0x47;
            nullPackets[o + 1] = 0x1F;
            nullPackets[o + 2] = (byte) 0xFF;
            nullPackets[o + 3] = 0x10;
        }

        assertThatThrownBy(() -> FakeAceEngine.builder().clip(nullPackets).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bitrate");
        try (FakeAceEngine engine = FakeAceEngine.builder().clip(nullPackets).bitrate(1_000_000).start();
                EngineCalls.RawResponse playback = EngineCalls.open(
                        EngineCalls.start(engine, EngineCalls.CONTENT).playback())) {
            byte[] read = playback.body().readNBytes(188 * 150);
            assertThat(Arrays.copyOfRange(read, 188 * 100, 188 * 101)).isEqualTo(Arrays.copyOf(nullPackets, 188));
        }
    }

    @Test
    void rejectsOutOfRangeSettings() {
        FakeAceEngine.Builder builder = FakeAceEngine.builder();
        assertThatThrownBy(() -> builder.bitrate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.initialBurst(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.prebufferDelay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.advertisedBaseUri(URI.create("https://h/x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.version(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GetstreamFault.httpStatus(200)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void faultMisuseIsRejected() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start()) {
            assertThatThrownBy(() -> engine.getstreamFault(GetstreamFault.noAnswer(), 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> engine.endPlaybacksAfter(-2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> engine.stallPlaybacks(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            engine.close();
            assertThatThrownBy(() -> engine.restart(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        }
    }
}
