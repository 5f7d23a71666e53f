package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One content, one engine session, one set of engine parameters. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ParametersConflictTest {

    @Test
    void otherParametersForAPlayingContentAreRefusedAndTheSameOnesJoin() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            Map<String, String> mp3 = Map.of("transcode_mp3", "1");
            PacketRecorder first = new PacketRecorder();
            h.subscribe(content(1), mp3, first);
            assertThatThrownBy(() -> h.registry.subscribe(content(1), Map.of(), new PacketRecorder(),
                    ClientInfo.anonymous()))
                    .isInstanceOfSatisfying(ParametersConflictException.class, e -> {
                        assertThat(e.running()).isEqualTo(mp3);
                        assertThat(e.getMessage()).contains("transcode_mp3");
                    });
            PacketRecorder same = new PacketRecorder();
            h.subscribe(content(1), Map.of("transcode_mp3", "1"), same);
            assertThat(same.awaitBytes(10_000, java.time.Duration.ofSeconds(5))).isTrue();
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            h.assertNothingLeft();
        }
    }
}
