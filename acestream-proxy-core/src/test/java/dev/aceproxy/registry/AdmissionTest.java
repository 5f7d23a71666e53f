package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a registry behind a load balancer needs: draining, readiness, turning players away at once
 * when no engine can serve them, and one session for a content named by id or by infohash.
 */
@Timeout(60)
class AdmissionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void drainingStartsNoNewSessionButKeepsAndJoinsTheRunningOnes() throws Exception {
        try (Harness h = Harness.start(1, b -> b.limits(new Limits(4, 0, 0, Duration.ofSeconds(7))))) {
            PacketRecorder first = new PacketRecorder();
            Subscription running = h.subscribe(content(1), first);
            assertThat(first.awaitBytes(1, WAIT)).isTrue();
            assertThat(h.registry.readiness()).isEqualTo(new Readiness(false, false, 1, 1, 1, 4));
            assertThat(h.registry.readiness().ready()).isTrue();
            assertThat(h.registry.readiness().capacity()).isEqualTo(0.25);

            h.registry.startDraining();
            h.registry.startDraining();
            assertThat(h.registry.isDraining()).isTrue();
            assertThat(h.registry.readiness().ready()).isFalse();
            assertThat(h.registry.readiness().reason()).isEqualTo("draining");
            assertThatThrownBy(() -> h.registry.subscribe(content(2), Map.of(), new PacketRecorder(), ClientInfo.anonymous()))
                    .isInstanceOfSatisfying(DrainingException.class,
                            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7)))
                    .hasMessage("the registry is draining: it starts no new session");

            PacketRecorder joiner = new PacketRecorder();
            h.subscribe(content(1), joiner);
            assertThat(joiner.awaitBytes(10_000, WAIT)).isTrue();
            long now = first.bytes();
            assertThat(first.awaitBytes(now + 10_000, WAIT)).as("the running player goes on").isTrue();
            assertThat(running.ended()).isNotDone();
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            h.assertNothingLeft();
        }
    }

    @Test
    void withNoHealthyEngineAJoinerOfARecoveringSessionIsTurnedAwayAndItsPlayersStay() throws Exception {
        // long enough waits that the session is still recovering while the engine is down
        RetryPolicy retry = new RetryPolicy(Duration.ofMillis(500), 2.0, Duration.ofSeconds(2), 0.0, 5,
                Duration.ofSeconds(30));
        try (Harness h = Harness.start(1, b -> b.retryPolicy(retry))) {
            URI uri = h.fake().baseUri();
            PacketRecorder player = new PacketRecorder();
            Subscription sub = h.subscribe(content(3), player);
            assertThat(player.awaitBytes(10_000, WAIT)).isTrue();

            h.fake().restart(Duration.ofSeconds(3));
            assertThat(h.events.await("engine " + uri + " unhealthy", WAIT)).isTrue();
            assertThat(h.registry.readiness().ready()).isFalse();
            // until the session has seen its connection reset, a joiner is turned away for the
            // last bytes it may still read (the test after this one); here it recovers
            assertThat(h.events.await("state id=" + content(3).hex() + " STREAMING->RECOVERING", WAIT)).isTrue();
            assertThatThrownBy(() -> h.registry.subscribe(content(3), Map.of(), new PacketRecorder(), ClientInfo.anonymous()))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("has no data now");
            assertThatThrownBy(() -> h.registry.subscribe(content(4), Map.of(), new PacketRecorder(), ClientInfo.anonymous()))
                    .isInstanceOf(EngineUnavailableException.class);
            assertThat(sub.ended()).as("the running player stays for the recovery").isNotDone();

            assertThat(h.events.await("state id=" + content(3).hex() + " RECOVERING->STREAMING", WAIT)).isTrue();
            PacketRecorder back = new PacketRecorder();
            h.subscribe(content(3), back);
            assertThat(back.awaitBytes(10_000, WAIT)).isTrue();
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }

    @Test
    void withNoHealthyEngineAJoinerOfASessionReadingTheLastBytesOfAGoneEngineIsTurnedAway() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            URI uri = h.fake().baseUri();
            PacketRecorder player = new PacketRecorder();
            Subscription sub = h.subscribe(content(7), player);
            assertThat(player.awaitBytes(10_000, WAIT)).isTrue();

            // the engine's process exits, and the session still reads what its socket holds
            h.fake().exit(Duration.ofSeconds(3));
            assertThat(h.events.await("engine " + uri + " unhealthy", WAIT)).isTrue();
            long now = player.bytes();
            assertThat(player.awaitBytes(now + 10_000, WAIT)).as("the last bytes still flow").isTrue();
            assertThat(h.registry.status(content(7)).orElseThrow().state()).isEqualTo(SessionState.STREAMING);
            assertThatThrownBy(() -> h.registry.subscribe(content(7), Map.of(), new PacketRecorder(), ClientInfo.anonymous()))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("session id=" + content(7).hex() + " reads the last bytes of engine " + uri
                            + ", which refuses connections");
            assertThat(h.registry.status(content(7)).orElseThrow().clients()).as("nobody joined").hasSize(1);
            assertThat(sub.ended()).as("the running player stays").isNotDone();

            // the last bytes run out: the session has no data now, and a joiner is still turned away
            Eventually.within(WAIT, "the engine to forget its session", () -> h.fake().sessionsForgotten() == 1);
            assertThat(h.events.await("state id=" + content(7).hex() + " STREAMING->RECOVERING", WAIT)).isTrue();
            assertThatThrownBy(() -> h.registry.subscribe(content(7), Map.of(), new PacketRecorder(), ClientInfo.anonymous()))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageContaining("has no data now");
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            h.assertNothingLeft();
        }
    }

    @Test
    void aSubscriberByInfohashJoinsTheSessionStartedByContentId() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            ContentId id = content(5);
            ContentId infohash = ContentId.infohash(FakeAceEngine.infohashOf(id.hex()));
            PacketRecorder byId = new PacketRecorder();
            h.subscribe(id, byId);
            PacketRecorder byInfohash = new PacketRecorder();
            Subscription joined = h.subscribe(infohash, byInfohash);
            assertThat(joined.sessionKey()).isEqualTo("id=" + id.hex());
            assertThat(byInfohash.awaitBytes(10_000, WAIT)).isTrue();
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            assertThat(h.fake().playbackOpens()).isEqualTo(1);
            assertThat(h.registry.status(infohash).orElseThrow().clients()).hasSize(2);
            h.assertNothingLeft();
        }
    }

    @Test
    void aSubscriberByContentIdOfAnInfohashPlayingAlreadyJoinsItAfterTheEngineAnswers() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            ContentId id = content(6);
            ContentId infohash = ContentId.infohash(FakeAceEngine.infohashOf(id.hex()));
            // the duplicate's stop cuts this player's reader once: one reconnect, one jump
            PacketRecorder byInfohash = new PacketRecorder()
                    .expecting(StreamExpectation.fromAnEntryPoint().allowingRecoveries(1));
            Subscription first = h.subscribe(infohash, byInfohash);
            assertThat(byInfohash.awaitBytes(10_000, WAIT)).isTrue();

            PacketRecorder byId = new PacketRecorder();
            Subscription joined = h.subscribe(id, byId);
            assertThat(joined.sessionKey()).isEqualTo("infohash=" + infohash.hex());
            assertThat(byId.awaitBytes(10_000, WAIT)).isTrue();
            assertThat(h.fake().getstreamCalls()).as("the engine alone knows which infohash an id is").isEqualTo(2);
            assertThat(h.fake().stopCalls()).as("the duplicate engine session is stopped").isEqualTo(1);
            Eventually.within(WAIT, "the cut reader to reconnect", () -> h.registry.status().totals().reconnects() == 1);
            assertThat(h.fake().playbackOpens()).as("the first, its reconnect; the duplicate never read").isEqualTo(2);
            assertThat(h.registry.status().sessions()).hasSize(1);
            assertThat(h.registry.status(id).orElseThrow().clients()).hasSize(2);
            long now = byInfohash.bytes();
            assertThat(byInfohash.awaitBytes(now + 10_000, WAIT)).as("the first player streams on").isTrue();
            assertThat(first.ended()).isNotDone();

            PacketRecorder again = new PacketRecorder();
            h.subscribe(id, again);
            assertThat(again.awaitBytes(1, WAIT)).isTrue();
            assertThat(h.fake().getstreamCalls()).as("the id is known now").isEqualTo(2);
            h.allowRecoveriesAsCounted();
            h.assertNothingLeft();
        }
    }
}
