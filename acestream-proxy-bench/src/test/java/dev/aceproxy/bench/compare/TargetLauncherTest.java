package dev.aceproxy.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetLauncherTest {

    @Test
    void oursRunsWithTheDistributionLaunchersDefaults() throws Exception {
        Path launcher = Path.of("../acestream-proxy-dist/src/dist/bin/acestream-proxy");
        String line = Files.readAllLines(launcher).stream().filter(l -> l.startsWith("defaults=")).findFirst()
                .orElseThrow();
        List<String> options = Arrays.asList(line.substring("defaults=\"".length(), line.length() - 1).split(" "));
        assertThat(TargetLauncher.LAUNCHER_JVM_DEFAULTS).isEqualTo(options);
    }

    @Test
    void oursRunsWithTheDistributionLaunchersEnvironment() throws Exception {
        Path launcher = Path.of("../acestream-proxy-dist/src/dist/bin/acestream-proxy");
        List<String> lines = Files.readAllLines(launcher);
        for (var entry : TargetLauncher.LAUNCHER_ENV.entrySet()) {
            String name = entry.getKey();
            assertThat(lines).as("the launcher sets %s unless it is set", name)
                    .contains(name + "=${" + name + ":-" + entry.getValue() + "}", "export " + name);
        }
    }

    @Test
    void takesThePlaybackPathFromTheGetstreamAnswer() throws Exception {
        String json = "{\"response\": {\"playback_url\": \"http://127.0.0.1:6878/ace/r/abc/0123\", "
                + "\"stat_url\": \"http://127.0.0.1:6878/ace/stat/abc/0123\"}, \"error\": null}";
        assertThat(TargetLauncher.playbackPathOf(json)).isEqualTo("/ace/r/abc/0123");
        assertThat(TargetLauncher.playbackPathOf("{\"response\":{\"playback_url\":\"http:\\/\\/h:1\\/ace\\/r\\/x\\/y\"}}"))
                .isEqualTo("/ace/r/x/y");
        assertThatIOException().isThrownBy(() -> TargetLauncher.playbackPathOf("{\"error\": \"no\"}"));
    }

    @Test
    void labelsRoundTrip() {
        for (Target t : Target.values()) {
            assertThat(Target.of(t.label())).isEqualTo(t);
        }
        for (ClientKind k : ClientKind.values()) {
            assertThat(ClientKind.of(k.label())).isEqualTo(k);
        }
    }
}
