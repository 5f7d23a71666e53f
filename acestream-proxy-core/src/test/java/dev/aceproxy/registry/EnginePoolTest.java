package dev.aceproxy.registry;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.ts.TsPackets;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class EnginePoolTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void newSessionsGoToTheEngineWithFewestSessions() throws Exception {
        try (Harness h = Harness.start(2, b -> { })) {
            for (int i = 1; i <= 4; i++) {
                h.subscribe(content(i), new PacketRecorder());
            }
            assertThat(h.fakes.get(0).getstreamCalls()).isEqualTo(2);
            assertThat(h.fakes.get(1).getstreamCalls()).isEqualTo(2);
            assertThat(h.registry.status().engines()).extracting(EngineStatus::sessions).containsExactly(2, 2);
            assertThat(h.registry.status().engines()).allMatch(EngineStatus::healthy);
            assertThat(h.registry.engines()).hasSize(2);
            h.assertNothingLeft();
        }
    }

    @Test
    void anEngineFailingItsProbesIsTakenOutUntilItAnswersAgain() throws Exception {
        try (Harness h = Harness.start(2, b -> { })) {
            FakeAceEngine down = h.fakes.get(1);
            URI downUri = down.baseUri();
            // down long enough for three starts on the other engine, even on a slow machine
            down.restart(Duration.ofSeconds(4));
            assertThat(h.events.await("engine " + downUri + " unhealthy", WAIT)).isTrue();
            EngineStatus st = h.registry.status().engines().get(1);
            assertThat(st.healthy()).isFalse();
            assertThat(st.consecutiveFailures()).isGreaterThanOrEqualTo(2);

            for (int i = 1; i <= 3; i++) {
                h.subscribe(content(i), new PacketRecorder());
            }
            assertThat(h.fakes.get(0).getstreamCalls()).isEqualTo(3);
            assertThat(down.getstreamCalls()).isZero();

            assertThat(h.events.await("engine " + downUri + " healthy", WAIT)).isTrue();
            assertThat(h.registry.status().engines().get(1).version()).contains(FakeAceEngine.DEFAULT_VERSION);
            h.subscribe(content(4), new PacketRecorder());
            assertThat(down.getstreamCalls()).isEqualTo(1);
            h.assertNothingLeft();
        }
    }

    @Test
    void withEveryEngineOutANewSubscriberGetsEngineUnavailable() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            URI uri = h.fake().baseUri();
            h.fake().restart(Duration.ofSeconds(3));
            assertThat(h.events.await("engine " + uri + " unhealthy", WAIT)).isTrue();
            assertThatThrownBy(() -> h.subscribe(content(9), new PacketRecorder()))
                    .isInstanceOf(EngineUnavailableException.class);
            assertThat(h.events.await("engine " + uri + " healthy", WAIT)).isTrue();
            h.assertNothingLeft();
        }
    }

    @Test
    void aSessionWhoseEngineDiesRecoversOnAnotherEngine() throws Exception {
        try (Harness h = Harness.start(2, b -> { })) {
            // one move to the other engine: one jump, onto the tables and a keyframe
            PacketRecorder sink = new PacketRecorder().expecting(StreamExpectation.fromAnEntryPoint().allowingRecoveries(1));
            Subscription sub = h.subscribe(content(5), sink);
            assertThat(sink.awaitBytes(10_000, WAIT)).isTrue();
            URI first = h.registry.status(content(5)).orElseThrow().engine();
            FakeAceEngine dying = h.fakes.get(0).baseUri().equals(first) ? h.fakes.get(0) : h.fakes.get(1);
            FakeAceEngine other = dying == h.fakes.get(0) ? h.fakes.get(1) : h.fakes.get(0);
            dying.restart(Duration.ofSeconds(3));
            assertThat(h.events.await("state id=" + content(5).hex() + " RECOVERING->STREAMING", WAIT)).isTrue();
            assertThat(h.events.lines()).contains("engine " + dying.baseUri() + " unhealthy")
                    .as("moved at once after the refused reconnect")
                    .doesNotContain("recovering id=" + content(5).hex() + " reconnect 2");
            assertThat(dying.stopCalls()).as("no stop for the session the dead engine forgot").isZero();
            assertThat(h.registry.status(content(5)).orElseThrow().engine()).isEqualTo(other.baseUri());
            long now = sink.bytes();
            assertThat(sink.awaitBytes(now + 50 * TsPackets.PACKET_SIZE, WAIT)).isTrue();
            assertThat(sink.misalignedPackets()).isZero();
            assertThat(sub.ended()).isNotDone();
            assertThat(h.registry.status().engines()).extracting(EngineStatus::sessions)
                    .containsExactlyInAnyOrder(0, 1);
            h.assertNothingLeft();
        }
    }
}
