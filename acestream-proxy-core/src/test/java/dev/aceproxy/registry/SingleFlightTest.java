package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SingleFlightTest {

    @Test
    void fiveHundredSimultaneousSubscribersShareOneGetstreamAndOnePlayback() throws Exception {
        int n = 500;
        try (Harness h = Harness.start(1, e -> e.prebufferDelay(Duration.ofMillis(300)), b -> { });
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            List<PacketRecorder> sinks = new ArrayList<>();
            List<Future<Subscription>> subs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // 500 sinks: each keeps its first 256 KiB for the oracle, not the whole stream.
                PacketRecorder sink = new PacketRecorder(256 * 1024);
                sinks.add(sink);
                subs.add(pool.submit(() -> {
                    go.await();
                    return h.subscribe(content(42), sink);
                }));
            }
            go.countDown();
            List<Subscription> joined = new ArrayList<>();
            for (Future<Subscription> f : subs) {
                joined.add(f.get(15, TimeUnit.SECONDS));
            }
            for (PacketRecorder sink : sinks) {
                assertThat(sink.awaitBytes(1, Duration.ofSeconds(5))).isTrue();
            }
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            assertThat(h.fake().playbackOpens()).isEqualTo(1);
            assertThat(h.fake().secondReaderAttempts()).isZero();
            assertThat(joined).extracting(Subscription::sessionKey).containsOnly("id=" + content(42).hex());
            assertThat(joined.stream().map(Subscription::clientId).distinct()).hasSize(n);
            RegistryStatus st = h.registry.status();
            assertThat(st.totals().sessions()).isEqualTo(1);
            assertThat(st.totals().clients()).isEqualTo(n);
            h.assertNothingLeft();
            for (PacketRecorder sink : sinks) {
                assertThat(sink.isClosed()).isTrue();
            }
        }
    }
}
