package dev.aceproxy.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.jetty.internal.MetricsEndpoint;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.RegistryStatus;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.registry.Subscription;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The binder's meters against a live registry streaming from the fake engine, and against /metrics. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AceProxyMetricsTest {

    private static final String ID = "ace0ace0ace0ace0ace0ace0ace0ace0ace0ace0";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void metersFollowASessionThroughAReconnect() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
             AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(client).build()) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            new AceProxyMetrics(registry, Tags.of("app", "test"), Duration.ZERO).bindTo(meters);
            String engineTag = engine.baseUri().toString();

            assertThat(gauge(meters, "aceproxy.sessions")).isZero();
            assertThat(gauge(meters, "aceproxy.clients")).isZero();
            assertThat(counter(meters, "aceproxy.bytes.in")).isZero();
            assertThat(meters.get("aceproxy.engine.up").tag("engine", engineTag).tag("app", "test").gauge().value())
                    .isEqualTo(1.0);

            CollectingSink player = new CollectingSink();
            long beforeCut;
            try (Subscription subscription = registry.subscribe(ContentId.id(ID), Map.of(), player,
                    ClientInfo.anonymous())) {
                player.awaitBytes(188 * 2_000, WAIT);
                assertThat(gauge(meters, "aceproxy.sessions")).isEqualTo(1.0);
                assertThat(gauge(meters, "aceproxy.clients")).isEqualTo(1.0);
                assertThat(meters.get("aceproxy.engine.sessions").tag("engine", engineTag).gauge().value())
                        .isEqualTo(1.0);
                // The registry adds a chunk to its byte counts after handing it to the players.
                assertThat(counter(meters, "aceproxy.bytes.in")).isPositive();
                assertThat(counter(meters, "aceproxy.bytes.out")).isPositive();
                assertThat(counter(meters, "aceproxy.reconnects")).isZero();

                engine.cutPlaybacks();
                Eventually.within(WAIT, "a reconnect counted", () -> counter(meters, "aceproxy.reconnects"),
                        n -> n >= 1);
                beforeCut = player.size();
                player.awaitBytes(beforeCut + 188 * 1_000, WAIT);
                assertThat(subscription.ended()).isNotDone();
            }
            Eventually.within(WAIT, "no client in the gauge", () -> gauge(meters, "aceproxy.clients"), n -> n <= 0);

            StreamOracle.ofBundledClip().verify(player.received(),
                    StreamExpectation.fromAnEntryPoint().allowingRecoveries(1));
            assertThat(counter(meters, "aceproxy.reconnects")).isEqualTo(1.0);
            assertThat(counter(meters, "aceproxy.failovers")).isZero();
            assertThat(counter(meters, "aceproxy.evictions")).isZero();
            assertThat(counter(meters, "aceproxy.skipped.bytes")).isZero();
            // The counters are the registry's totals, which keep ended sessions.
            RegistryStatus status = registry.status();
            assertThat(counter(meters, "aceproxy.bytes.out")).isEqualTo(status.totals().bytesOut());
            assertThat(counter(meters, "aceproxy.bytes.out")).isGreaterThanOrEqualTo(player.size());
        }
    }

    @Test
    void prometheusRendersTheSameSeriesAsTheMetricsEndpoint() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
             AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(client).build()) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new AceProxyMetrics(registry, Tags.empty(), Duration.ZERO).bindTo(prometheus);

            // While a player streams: the same series names as /metrics' totals and engine families.
            CollectingSink player = new CollectingSink();
            try (Subscription subscription = registry.subscribe(ContentId.id(ID), Map.of(), player,
                    ClientInfo.anonymous())) {
                player.awaitBytes(188 * 1_000, WAIT);
                Map<String, Double> live = samples(prometheus.scrape());
                Map<String, Double> endpoint = registryWide(samples(MetricsEndpoint.render(registry.status())));
                assertThat(live.keySet()).isEqualTo(endpoint.keySet());
                assertThat(live.get("aceproxy_sessions")).isEqualTo(1.0);
                assertThat(live.get("aceproxy_clients")).isEqualTo(1.0);
                assertThat(subscription.ended()).isNotDone();
            }
            StreamOracle.ofBundledClip().verify(player.received(), StreamExpectation.fromAnEntryPoint());

            // Once the registry stops nothing moves: every value must match too.
            registry.shutdown(Duration.ofSeconds(5));
            Map<String, Double> endpoint = registryWide(samples(MetricsEndpoint.render(registry.status())));
            Map<String, Double> scraped = samples(prometheus.scrape());
            assertThat(scraped).isEqualTo(endpoint);
            assertThat(scraped.get("aceproxy_bytes_in_total")).isGreaterThanOrEqualTo(188 * 1_000);
            assertThat(scraped).containsEntry("aceproxy_engine_up{engine=\"" + engine.baseUri() + "\"}", 1.0);
        }
    }

    @Test
    void oneSnapshotServesTheMetersForItsMaximumAge() throws Exception {
        try (FakeAceEngine engine = FakeAceEngine.start();
             AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(client).build()) {
            SimpleMeterRegistry cached = new SimpleMeterRegistry();
            new AceProxyMetrics(registry, Tags.empty(), Duration.ofHours(1)).bindTo(cached);
            SimpleMeterRegistry fresh = new SimpleMeterRegistry();
            new AceProxyMetrics(registry).bindTo(fresh);
            assertThat(gauge(cached, "aceproxy.sessions")).isZero();

            CollectingSink player = new CollectingSink();
            try (Subscription subscription = registry.subscribe(ContentId.id(ID), Map.of(), player,
                    ClientInfo.anonymous())) {
                player.awaitBytes(188 * 500, WAIT);
                assertThat(gauge(fresh, "aceproxy.sessions")).isEqualTo(1.0);
                assertThat(gauge(cached, "aceproxy.sessions")).isZero();
                assertThat(counter(cached, "aceproxy.bytes.in")).isZero();
                assertThat(subscription.ended()).isNotDone();
            }
            StreamOracle.ofBundledClip().verify(player.received(), StreamExpectation.fromAnEntryPoint());
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new AceProxyMetrics(null)).isInstanceOf(NullPointerException.class);
        try (StreamRegistry registry = StreamRegistry.newBuilder()
                .engine(AceEngineClient.newBuilder().baseUri(java.net.URI.create("http://127.0.0.1:9")).build())
                .build()) {
            assertThatThrownBy(() -> new AceProxyMetrics(registry, Tags.empty(), Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new AceProxyMetrics(registry, null, Duration.ZERO))
                    .isInstanceOf(NullPointerException.class);
        }
    }

    private static double gauge(MeterRegistry meters, String name) {
        Gauge gauge = meters.get(name).gauge();
        return gauge.value();
    }

    private static double counter(MeterRegistry meters, String name) {
        FunctionCounter counter = meters.get(name).functionCounter();
        return counter.count();
    }

    /** Sample lines of an exposition text, series (name and labels) to value; comments dropped. */
    private static Map<String, Double> samples(String exposition) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    /** The registry-wide series of /metrics: the totals and the per-engine ones, not per-session. */
    private static Map<String, Double> registryWide(Map<String, Double> samples) {
        Map<String, Double> wide = new TreeMap<>(samples);
        wide.keySet().removeIf(series -> series.startsWith("aceproxy_session_"));
        return wide;
    }
}
