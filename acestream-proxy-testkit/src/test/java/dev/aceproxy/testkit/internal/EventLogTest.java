package dev.aceproxy.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.EngineEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EventLogTest {

    @Test
    void aFullQueueDropsItsOldestEvents() throws Exception {
        EventLog log = new EventLog(3);
        for (int i = 0; i < 5; i++) {
            log.record(EngineEvent.Kind.STAT, "ih" + i, null, null);
        }

        assertThat(log.dropped()).isEqualTo(2);
        assertThat(log.take(Duration.ZERO).infohash()).isEqualTo("ih2");
        assertThat(log.take(Duration.ZERO).infohash()).isEqualTo("ih3");
        assertThat(log.take(Duration.ZERO).infohash()).isEqualTo("ih4");
        assertThat(log.take(Duration.ZERO)).isNull();
    }

    @Test
    void takeWaitsForAnEventRecordedLater() throws Exception {
        EventLog log = new EventLog(10);
        Thread recorder = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100); // the scenario: the event is recorded after take has begun to wait
            } catch (InterruptedException e) {
                return;
            }
            log.record(EngineEvent.Kind.RESTART_UP, null, null, null);
        });

        EngineEvent event = log.take(Duration.ofSeconds(5));

        assertThat(event).isNotNull();
        assertThat(event.kind()).isEqualTo(EngineEvent.Kind.RESTART_UP);
        recorder.join();
    }
}
