package dev.aceproxy.micrometer;

import dev.aceproxy.registry.EngineStatus;
import dev.aceproxy.registry.RegistryStatus;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.registry.Totals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link StreamRegistry}'s figures as Micrometer meters, with the names and meanings
 * of the {@code /metrics} endpoint of {@code acestream-proxy-jetty}. Under Micrometer's Prometheus
 * naming convention the series come out exactly as there: {@code aceproxy.sessions} is scraped as
 * {@code aceproxy_sessions}, the counter {@code aceproxy.bytes.in} as {@code aceproxy_bytes_in_total}.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>meter</th><th>type</th><th>what it counts</th></tr>
 * <tr><td>{@code aceproxy.sessions}</td><td>gauge</td><td>engine sessions running now</td></tr>
 * <tr><td>{@code aceproxy.clients}</td><td>gauge</td><td>players connected now</td></tr>
 * <tr><td>{@code aceproxy.bytes.in}</td><td>counter</td><td>MPEG-TS bytes read from engines</td></tr>
 * <tr><td>{@code aceproxy.bytes.out}</td><td>counter</td><td>MPEG-TS bytes written to players</td></tr>
 * <tr><td>{@code aceproxy.reconnects}</td><td>counter</td><td>upstream recoveries</td></tr>
 * <tr><td>{@code aceproxy.failovers}</td><td>counter</td><td>switches of a channel to another alternate</td></tr>
 * <tr><td>{@code aceproxy.evictions}</td><td>counter</td><td>players cut off for falling behind or stalling</td></tr>
 * <tr><td>{@code aceproxy.skipped.bytes}</td><td>counter</td><td>bytes skipped for players that fell behind</td></tr>
 * <tr><td>{@code aceproxy.engine.up}</td><td>gauge, tag {@code engine}</td><td>1 when the engine answers its health probe</td></tr>
 * <tr><td>{@code aceproxy.engine.sessions}</td><td>gauge, tag {@code engine}</td><td>sessions running on the engine</td></tr>
 * </table>
 *
 * <p>Counters cover every session since the registry was built. The engine meters are registered
 * for the engines the registry has when {@link #bindTo} runs; an engine missing from a later
 * snapshot reads {@code NaN}. Per-session series of {@code /metrics} are not published: their
 * labels (content ids) come and go with the streams, which suits a scrape better than a meter
 * registry.
 *
 * <p>One read of the registry's {@link StreamRegistry#status() status} serves every meter for up
 * to {@code snapshotMaxAge}, so that one scrape does not build ten snapshots. The meters hold the
 * registry weakly, as Micrometer's own binders do, so that binding it does not keep a discarded
 * registry alive. Thread-safe.
 */
public final class AceProxyMetrics implements MeterBinder {

    /** How long one status snapshot serves the meters unless told otherwise: one second. */
    public static final Duration DEFAULT_SNAPSHOT_MAX_AGE = Duration.ofSeconds(1);

    private final StreamRegistry registry;
    private final Tags tags;
    private final StatusSnapshots snapshots;

    /**
     * Creates a binder with no extra tags and the default snapshot age.
     *
     * @param registry the registry to publish
     * @throws NullPointerException if {@code registry} is null
     */
    public AceProxyMetrics(StreamRegistry registry) {
        this(registry, Tags.empty(), DEFAULT_SNAPSHOT_MAX_AGE);
    }

    /**
     * Creates a binder.
     *
     * @param registry the registry to publish
     * @param tags tags added to every meter (for example the application's name); may be empty
     * @param snapshotMaxAge how long one status snapshot serves the meters; zero reads the
     *     registry afresh for every meter
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code snapshotMaxAge} is negative
     */
    public AceProxyMetrics(StreamRegistry registry, Iterable<Tag> tags, Duration snapshotMaxAge) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
        Objects.requireNonNull(snapshotMaxAge, "snapshotMaxAge");
        if (snapshotMaxAge.isNegative()) {
            throw new IllegalArgumentException("snapshotMaxAge is negative: " + snapshotMaxAge);
        }
        this.snapshots = new StatusSnapshots(snapshotMaxAge);
    }

    /**
     * Registers the meters.
     *
     * @param meters the registry to add them to
     */
    @Override
    public void bindTo(MeterRegistry meters) {
        gauge(meters, "aceproxy.sessions", "Engine sessions running now.", Totals::sessions);
        gauge(meters, "aceproxy.clients", "Players connected now.", Totals::clients);
        counter(meters, "aceproxy.bytes.in", "MPEG-TS bytes read from engines.", Totals::bytesIn);
        counter(meters, "aceproxy.bytes.out", "MPEG-TS bytes written to players.", Totals::bytesOut);
        counter(meters, "aceproxy.reconnects", "Upstream recoveries (reconnects and restarts).",
                Totals::reconnects);
        counter(meters, "aceproxy.failovers", "Switches of a channel to another alternate.", Totals::failovers);
        counter(meters, "aceproxy.evictions", "Players disconnected for falling too far behind or stalling.",
                Totals::evictions);
        counter(meters, "aceproxy.skipped.bytes", "Bytes skipped for players that fell behind (overflow policy skip).",
                Totals::skippedBytes);

        List<URI> engines = registry.status().engines().stream().map(EngineStatus::baseUri).toList();
        for (URI engine : engines) {
            Tags engineTags = tags.and("engine", engine.toString());
            Gauge.builder("aceproxy.engine.up", registry,
                            engineFigure(engine, e -> e.healthy() ? 1 : 0))
                    .description("1 when the engine answers its health probe.")
                    .tags(engineTags)
                    .register(meters);
            Gauge.builder("aceproxy.engine.sessions", registry, engineFigure(engine, EngineStatus::sessions))
                    .description("Sessions running on the engine.")
                    .tags(engineTags)
                    .register(meters);
        }
    }

    private void gauge(MeterRegistry meters, String name, String help, ToDoubleFunction<Totals> figure) {
        Gauge.builder(name, registry, r -> figure.applyAsDouble(snapshots.of(r).totals()))
                .description(help)
                .tags(tags)
                .register(meters);
    }

    private void counter(MeterRegistry meters, String name, String help, ToDoubleFunction<Totals> figure) {
        FunctionCounter.builder(name, registry, r -> figure.applyAsDouble(snapshots.of(r).totals()))
                .description(help)
                .tags(tags)
                .register(meters);
    }

    private ToDoubleFunction<StreamRegistry> engineFigure(URI engine, ToDoubleFunction<EngineStatus> figure) {
        return r -> {
            RegistryStatus status = snapshots.of(r);
            for (EngineStatus e : status.engines()) {
                if (e.baseUri().equals(engine)) {
                    return figure.applyAsDouble(e);
                }
            }
            return Double.NaN;
        };
    }
}
