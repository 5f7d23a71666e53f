package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.EngineEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A start whose last waiting player leaves ends at once, and its engine session is stopped. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AbandonedStartTest {

    @Test
    void aStartNobodyWaitsForEndsAndStopsItsEngineSession() throws Exception {
        try (Harness h = Harness.start(1, e -> e.prebufferDelay(Duration.ofSeconds(20)),
                b -> b.sessionPolicy(Harness.FAST.withStartTimeout(Duration.ofSeconds(25))
                        .withLinger(Duration.ofSeconds(20))))) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    h.registry.subscribe(content(1), java.util.Map.of(), new PacketRecorder(), ClientInfo.anonymous());
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            assertThat(h.fake().awaitEvent(EngineEvent.Kind.SESSION_STARTED, Duration.ofSeconds(10))).isNotNull();
            // The player leaves while the engine prebuffers.
            waiter.interrupt();
            assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            // Without abandonment the engine session would be held 20 s of prebuffer plus 20 s of linger.
            assertThat(h.fake().awaitEvent(EngineEvent.Kind.SESSION_STOPPED, Duration.ofSeconds(5)))
                    .as("the engine session is stopped at once").isNotNull();
            assertThat(h.registry.status().sessions()).isEmpty();
            assertThat(h.fake().sessionsOutstanding()).isZero();
            h.assertNothingLeft();
        }
    }

    @Test
    void aStartAnotherPlayerStillWaitsForGoesOn() throws Exception {
        try (Harness h = Harness.start(1, e -> e.prebufferDelay(Duration.ofSeconds(1)), b -> { })) {
            CompletableFuture<Subscription> staying = CompletableFuture.supplyAsync(() -> {
                try {
                    return h.subscribe(content(2), new PacketRecorder());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The session's getstream comes after the staying player's reservation.
            assertThat(h.fake().awaitEvent(EngineEvent.Kind.SESSION_STARTED, Duration.ofSeconds(10))).isNotNull();
            Thread leaving = Thread.ofVirtual().start(() -> {
                try {
                    h.registry.subscribe(content(2), java.util.Map.of(), new PacketRecorder(), ClientInfo.anonymous());
                } catch (Exception expected) {
                    // interrupted: this player left
                }
            });
            leaving.interrupt();
            leaving.join(5_000);
            Subscription sub = staying.get(10, TimeUnit.SECONDS);
            assertThat(sub.ended()).isNotDone();
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            sub.close();
            h.assertNothingLeft();
        }
    }
}
