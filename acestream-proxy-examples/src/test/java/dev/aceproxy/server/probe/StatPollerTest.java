package dev.aceproxy.server.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.FakeAceEngine;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StatPollerTest {

    @Test
    void aStopRightAfterTheStartStillLetsTheFirstPollFinish() throws Exception {
        try (FakeAceEngine fake = FakeAceEngine.start()) {
            WireClient wire = new WireClient("test", Duration.ofSeconds(2), new ProbeClock());
            URI stat = URI.create(fake.baseUri() + "/ace/stat/" + "a".repeat(40) + "/k");

            List<Map<String, Object>> polls = StatPoller.start(wire, stat).stop();

            assertThat(polls).hasSize(1);
            assertThat(polls.get(0)).containsKeys("at_ms", "status_line", "body");
            assertThat((String) polls.get(0).get("body")).contains("unknown playback session id");
        }
    }
}
