package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StatusAndChurnTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void theSnapshotDescribesSessionsClientsEnginesAndTotals() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        MutableClock clock = new MutableClock(t0);
        try (Harness h = Harness.start(1, b -> b.clock(clock))) {
            PacketRecorder sink = new PacketRecorder();
            Subscription sub = h.registry.subscribe(content(1), Map.of(), sink, ClientInfo.of("10.0.0.7", "VLC/3"));
            assertThat(sink.awaitBytes(50_000, Duration.ofSeconds(5))).isTrue();
            Eventually.within(Duration.ofSeconds(5), "a bitrate",
                    () -> h.registry.status(content(1)).orElseThrow().bitrateBitsPerSecond() > 0);
            clock.advance(Duration.ofSeconds(42));
            RegistryStatus st = h.registry.status();
            assertThat(st.at()).isEqualTo(t0.plusSeconds(42));
            SessionStatus s = st.sessions().get(0);
            assertThat(s.key()).isEqualTo("id=" + content(1).hex());
            assertThat(s.channel()).isEmpty();
            assertThat(s.startedAt()).isEqualTo(t0);
            assertThat(s.uptime()).isEqualTo(Duration.ofSeconds(42));
            assertThat(s.statUri()).isPresent();
            assertThat(s.bytesIn()).isGreaterThanOrEqualTo(50_000);
            // the clip runs at about 1.7 Mbit/s; the average must at least be of that order
            assertThat(s.bitrateBitsPerSecond()).isBetween(100_000L, 100_000_000L);
            ClientStatus c = s.clients().get(0);
            assertThat(c.id()).isEqualTo(sub.clientId());
            assertThat(c.remoteAddress()).contains("10.0.0.7");
            assertThat(c.userAgent()).contains("VLC/3");
            assertThat(c.connectedSince()).isEqualTo(t0);
            assertThat(c.bytesSent()).isPositive();
            assertThat(st.engines()).hasSize(1);
            assertThat(st.engines().get(0).sessions()).isEqualTo(1);
            assertThat(st.totals().sessions()).isEqualTo(1);
            assertThat(st.totals().clients()).isEqualTo(1);
            assertThat(st.totals().bytesOut()).isPositive();
            assertThat(st.totals().bytesIn()).isGreaterThanOrEqualTo(s.bytesIn());
            sub.close();
            sub.ended().get(2, TimeUnit.SECONDS);
            assertThat(h.registry.status().totals().bytesOut()).as("kept after the client left")
                    .isGreaterThanOrEqualTo(c.bytesSent());
            h.assertNothingLeft();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void thousandsOfJoinLeaveCyclesOverManyContentsLeaveNothingBehind() throws Exception {
        int workers = 16;
        int cyclesEach = 150;
        int contents = 24;
        SessionPolicy policy = Harness.FAST.withLinger(Duration.ofMillis(30));
        try (Harness h = Harness.start(2, b -> b.sessionPolicy(policy));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                results.add(pool.submit(() -> {
                    int done = 0;
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < cyclesEach; i++) {
                        PacketRecorder sink = new PacketRecorder();
                        Subscription sub = h.subscribe(content(1 + r.nextInt(contents)), sink);
                        if (r.nextInt(4) == 0) {
                            sink.awaitBytes(1, Duration.ofSeconds(2));
                        }
                        sub.close();
                        sub.ended().get(5, TimeUnit.SECONDS);
                        done++;
                        if (r.nextInt(8) == 0) {
                            Thread.sleep(r.nextInt(60)); // paces the churn (the scenario), not a wait
                        }
                    }
                    return done;
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(50, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(workers * cyclesEach);
            int getstreams = h.fakes.get(0).getstreamCalls() + h.fakes.get(1).getstreamCalls();
            assertThat(getstreams).as("sessions torn down and started again").isGreaterThan(2 * contents);
            int secondReaders = h.fakes.get(0).secondReaderAttempts() + h.fakes.get(1).secondReaderAttempts();
            assertThat(secondReaders).as("second readers").isZero();
            Eventually.within(Duration.ofSeconds(10), "every session to linger out",
                    () -> h.registry.status().sessions().isEmpty());
            for (var f : h.fakes) {
                Eventually.within(Duration.ofSeconds(5), "playbacks closed", () -> f.openPlaybackConnections() == 0);
                Eventually.within(Duration.ofSeconds(5), "engine sessions stopped", () -> f.openSessions() == 0);
            }
            assertThat(h.registry.status().totals().clients()).isZero();
            // an engine slot is given back once the stop call has returned, a moment after the fake saw it
            Eventually.within(Duration.ofSeconds(5), "engine slots given back",
                    () -> h.registry.status().engines().stream().allMatch(e -> e.sessions() == 0));
            h.assertNothingLeft();
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
