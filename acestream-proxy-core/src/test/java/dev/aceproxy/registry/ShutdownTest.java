package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.testkit.Eventually;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ShutdownTest {

    @Test
    void shutdownEndsEveryClientStopsEverySessionAndEveryThread() throws Exception {
        try (Harness h = Harness.start(1, b -> b.sessionPolicy(Harness.FAST.withLinger(Duration.ofSeconds(10))))) {
            PacketRecorder s1 = new PacketRecorder();
            PacketRecorder s2 = new PacketRecorder();
            Subscription a = h.subscribe(content(1), s1);
            Subscription b = h.subscribe(content(2), s2);
            BlockingSink stuck = new BlockingSink();
            Subscription c = h.registry.subscribe(content(2), Map.of(), stuck, ClientInfo.anonymous());
            h.subscribe(content(3), new PacketRecorder()).close();
            assertThat(h.events.await("state id=" + content(3).hex() + " STREAMING->LINGERING",
                    Duration.ofSeconds(5))).isTrue();

            long start = System.nanoTime();
            h.registry.shutdown(Duration.ofSeconds(4));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(h.registry.isShutdown()).isTrue();
            assertThat(a.ended().get(1, TimeUnit.SECONDS).reason()).isEqualTo(EndReason.SHUTDOWN);
            assertThat(b.ended().get(1, TimeUnit.SECONDS).reason()).isEqualTo(EndReason.SHUTDOWN);
            assertThat(c.ended().get(1, TimeUnit.SECONDS)).isNotNull();
            assertThat(s1.isClosed()).isTrue();
            assertThat(stuck.isClosed()).isTrue();
            assertThat(h.registry.liveThreads()).isZero();
            assertThat(h.fake().stopCalls()).isEqualTo(3);
            h.assertNothingLeft();

            assertThatThrownBy(() -> h.subscribe(content(1), new PacketRecorder()))
                    .isInstanceOf(IllegalStateException.class).hasMessage("registry is shut down");
            h.registry.shutdown(Duration.ofSeconds(1));
            h.registry.close();
        }
    }

    @Test
    void aSubscriberWaitingForAStartIsReleasedByShutdown() throws Exception {
        try (Harness h = Harness.start(1, e -> e.prebufferDelay(Duration.ofSeconds(5)), b -> { })) {
            CompletableFuture<Subscription> waiting = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    waiting.complete(h.subscribe(content(4), new PacketRecorder()));
                } catch (Throwable t) {
                    waiting.completeExceptionally(t);
                }
            });
            Eventually.within(Duration.ofSeconds(5), "the session to start", () -> h.fake().playbackOpens() == 1);
            h.registry.shutdown(Duration.ofSeconds(3));
            assertThatThrownBy(() -> waiting.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class);
            h.assertNothingLeft();
        }
    }

    @Test
    void anInterruptedSubscriberLeavesTheStartingSession() throws Exception {
        try (Harness h = Harness.start(1, e -> e.prebufferDelay(Duration.ofMillis(800)), b -> { })) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    h.subscribe(content(5), new PacketRecorder());
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            Eventually.within(Duration.ofSeconds(5), "the session to start", () -> h.fake().playbackOpens() == 1);
            t.interrupt();
            assertThat(outcome.get(2, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            // Nobody waits for the start any more: it ends at once (AbandonedStartTest), no linger.
            assertThat(h.events.await("state id=" + content(5).hex() + " STARTING->STOPPED",
                    Duration.ofSeconds(3))).isTrue();
            h.assertNothingLeft();
        }
    }
}
