package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LimitsTest {

    private static final Duration RETRY = Duration.ofSeconds(7);

    @Test
    void aSessionBeyondMaxSessionsIsRejectedAndTheRunningOneGoesOn() throws Exception {
        try (Harness h = Harness.start(1, b -> b.limits(new Limits(1, 0, 0, RETRY)))) {
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(1), sink);
            assertThatThrownBy(() -> h.subscribe(content(2), new PacketRecorder()))
                    .isInstanceOfSatisfying(LimitReachedException.class, e -> {
                        assertThat(e.limit()).isEqualTo(LimitReachedException.Limit.SESSIONS);
                        assertThat(e.retryAfter()).isEqualTo(RETRY);
                    });
            long now = sink.bytes();
            assertThat(sink.awaitBytes(now + 10_000, Duration.ofSeconds(5))).isTrue();
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            h.assertNothingLeft();
        }
    }

    @Test
    void aLingeringSessionMakesRoomForANewOne() throws Exception {
        try (Harness h = Harness.start(1, b -> b.limits(new Limits(1, 0, 0, RETRY))
                .sessionPolicy(Harness.FAST.withLinger(Duration.ofSeconds(10))))) {
            h.subscribe(content(1), new PacketRecorder()).close();
            assertThat(h.events.await("state id=" + content(1).hex() + " STREAMING->LINGERING",
                    Duration.ofSeconds(5))).isTrue();
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(2), sink);
            assertThat(sink.awaitBytes(1, Duration.ofSeconds(5))).isTrue();
            assertThat(h.events.lines()).contains("state id=" + content(1).hex() + " LINGERING->STOPPED");
            h.assertNothingLeft();
        }
    }

    @Test
    void aClientBeyondMaxClientsPerSessionIsRejected() throws Exception {
        try (Harness h = Harness.start(1, b -> b.limits(new Limits(0, 2, 0, RETRY)))) {
            h.subscribe(content(1), new PacketRecorder());
            h.subscribe(content(1), new PacketRecorder());
            assertThatThrownBy(() -> h.subscribe(content(1), new PacketRecorder()))
                    .isInstanceOfSatisfying(LimitReachedException.class, e ->
                            assertThat(e.limit()).isEqualTo(LimitReachedException.Limit.CLIENTS_PER_SESSION));
            h.subscribe(content(2), new PacketRecorder());
            h.assertNothingLeft();
        }
    }

    @Test
    void aClientBeyondMaxClientsIsRejectedAndALeavingClientFreesItsPlace() throws Exception {
        try (Harness h = Harness.start(1, b -> b.limits(new Limits(0, 0, 2, RETRY)))) {
            Subscription a = h.subscribe(content(1), new PacketRecorder());
            h.subscribe(content(2), new PacketRecorder());
            assertThatThrownBy(() -> h.subscribe(content(3), new PacketRecorder()))
                    .isInstanceOfSatisfying(LimitReachedException.class, e ->
                            assertThat(e.limit()).isEqualTo(LimitReachedException.Limit.CLIENTS));
            a.close();
            a.ended().get(2, TimeUnit.SECONDS);
            h.subscribe(content(3), new PacketRecorder());
            assertThat(h.registry.status().totals().clients()).isEqualTo(2);
            h.assertNothingLeft();
        }
    }

    @Test
    void theDefaultsAreFinite() throws Exception {
        try (Harness h = Harness.start(1, b -> b.limits(Limits.DEFAULT))) {
            for (int i = 1; i <= Limits.DEFAULT_MAX_SESSIONS; i++) {
                h.subscribe(content(i), new PacketRecorder());
            }
            assertThatThrownBy(() -> h.subscribe(content(Limits.DEFAULT_MAX_SESSIONS + 1), new PacketRecorder()))
                    .isInstanceOfSatisfying(LimitReachedException.class, e ->
                            assertThat(e.limit()).isEqualTo(LimitReachedException.Limit.SESSIONS));
            for (int i = Limits.DEFAULT_MAX_SESSIONS; i < Limits.DEFAULT_MAX_CLIENTS; i++) {
                h.subscribe(content(1), new PacketRecorder());
            }
            assertThatThrownBy(() -> h.subscribe(content(1), new PacketRecorder()))
                    .isInstanceOfSatisfying(LimitReachedException.class, e ->
                            assertThat(e.limit()).isEqualTo(LimitReachedException.Limit.CLIENTS));
            assertThat(h.fake().getstreamCalls()).isEqualTo(Limits.DEFAULT_MAX_SESSIONS);
            h.assertNothingLeft();
        }
    }

    @Test
    void aSessionBeyondEveryEnginesMaximumIsRejected() throws Exception {
        try (Harness h = Harness.start(2, e -> { }, b -> b.limits(Limits.UNLIMITED.withMaxSessionsPerEngine(1)))) {
            h.subscribe(content(1), new PacketRecorder());
            h.subscribe(content(2), new PacketRecorder());
            assertThatThrownBy(() -> h.subscribe(content(3), new PacketRecorder()))
                    .isInstanceOfSatisfying(LimitReachedException.class, e ->
                            assertThat(e.limit()).isEqualTo(LimitReachedException.Limit.SESSIONS_PER_ENGINE));
            // A client of a running session is not a new session.
            h.subscribe(content(1), new PacketRecorder());
            assertThat(h.fakes.stream().mapToInt(f -> f.getstreamCalls()).sum()).isEqualTo(2);
            h.assertNothingLeft();
        }
    }

    @Test
    void anAddressBeyondItsNewSessionsPerMinuteIsRejectedAndOthersAreNot() throws Exception {
        try (Harness h = Harness.start(1, b -> b.limits(Limits.UNLIMITED.withMaxNewSessionsPerAddress(3)))) {
            ClientInfo zapper = ClientInfo.of("10.0.0.9", "zapper");
            for (int i = 1; i <= 3; i++) {
                PacketRecorder sink = new PacketRecorder();
                h.sinks.add(sink);
                h.registry.subscribe(content(i), java.util.Map.of(), sink, zapper).close();
            }
            assertThatThrownBy(() -> h.registry.subscribe(content(4), java.util.Map.of(), new PacketRecorder(), zapper))
                    .isInstanceOfSatisfying(LimitReachedException.class, e ->
                            assertThat(e.limit()).isEqualTo(LimitReachedException.Limit.NEW_SESSIONS_PER_ADDRESS));
            // Joining a running session is not a new one, and another address has its own count.
            PacketRecorder joiner = new PacketRecorder();
            h.sinks.add(joiner);
            Subscription stay = h.subscribe(content(1), joiner);
            PacketRecorder other = new PacketRecorder();
            h.sinks.add(other);
            h.registry.subscribe(content(5), java.util.Map.of(), other, ClientInfo.of("10.0.0.10", "tv"));
            assertThat(stay.ended()).isNotDone();
            h.assertNothingLeft();
        }
    }
}
