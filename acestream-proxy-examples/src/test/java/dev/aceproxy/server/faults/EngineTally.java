package dev.aceproxy.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.EngineEvent;
import dev.aceproxy.testkit.FakeAceEngine;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts, per content (by infohash), the getstream calls and playback opens a fake engine saw,
 * taken from its event queue: which engine session each content got, and where.
 */
final class EngineTally {

    private final Map<String, Integer> getstreams = new HashMap<>();
    private final Map<String, Integer> playbackOpens = new HashMap<>();

    /** Takes every event the engine has queued so far and counts them. */
    void takeFrom(FakeAceEngine engine) throws InterruptedException {
        assertThat(engine.eventsDropped()).as("events dropped by %s", engine.baseUri()).isZero();
        for (EngineEvent e = engine.takeEvent(Duration.ZERO); e != null; e = engine.takeEvent(Duration.ZERO)) {
            if (e.infohash() == null) {
                continue;
            }
            switch (e.kind()) {
                case GETSTREAM -> getstreams.merge(e.infohash(), 1, Integer::sum);
                case PLAYBACK_OPENED -> playbackOpens.merge(e.infohash(), 1, Integer::sum);
                default -> { }
            }
        }
    }

    int getstreams(String contentId) {
        return getstreams.getOrDefault(FakeAceEngine.infohashOf(contentId), 0);
    }

    int playbackOpens(String contentId) {
        return playbackOpens.getOrDefault(FakeAceEngine.infohashOf(contentId), 0);
    }

    int totalGetstreams() {
        return getstreams.values().stream().mapToInt(Integer::intValue).sum();
    }
}
