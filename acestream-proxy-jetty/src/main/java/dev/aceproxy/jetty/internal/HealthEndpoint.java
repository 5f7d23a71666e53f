package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.EngineVersion;
import dev.aceproxy.registry.StreamRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /healthz}: probes every engine ({@code get_version}) at once and answers 200 when at
 * least one answers within the timeout, else 503; the body says how many answered. Engine
 * addresses are not shown, since this endpoint needs no token. Answers are cached for a second,
 * so a burst of health checks costs the engines one probe each.
 */
public final class HealthEndpoint extends ReadOnlyEndpoint {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final transient StreamRegistry registry;
    private final transient Duration timeout;
    private transient Snapshot cached;

    private record Snapshot(long atNanos, int healthy, int total, Optional<String> version) {
    }

    /**
     * Creates the endpoint.
     *
     * @param registry the registry whose engines to probe
     * @param timeout how long to wait for the engines
     */
    public HealthEndpoint(StreamRegistry registry, Duration timeout) {
        super(Set.of());
        this.registry = registry;
        this.timeout = timeout;
    }

    @Override
    protected void answer(QueryParameters query, HttpServletResponse response) throws IOException {
        Snapshot snapshot = snapshot();
        JsonWriter json = new JsonWriter().beginObject()
                .name("status").value(snapshot.healthy() > 0 ? "ok" : "unavailable")
                .name("engines_healthy").value(snapshot.healthy())
                .name("engines_total").value(snapshot.total())
                .name("engine_version").value(snapshot.version().orElse(null))
                .endObject();
        JsonResponses.send(response, snapshot.healthy() > 0 ? 200 : 503, json);
    }

    private Snapshot snapshot() {
        long now = System.nanoTime();
        synchronized (this) {
            if (cached != null && now - cached.atNanos() < CACHE_NANOS) {
                return cached;
            }
        }
        Snapshot fresh = probe(now);
        synchronized (this) {
            cached = fresh;
        }
        return fresh;
    }

    private Snapshot probe(long now) {
        List<AceEngineClient> engines = registry.engines();
        ExecutorService probes = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("aceproxy-health-", 0).factory());
        try {
            List<Future<EngineVersion>> answers = new ArrayList<>();
            for (AceEngineClient engine : engines) {
                answers.add(probes.submit(engine::probe));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            int healthy = 0;
            Optional<String> version = Optional.empty();
            for (Future<EngineVersion> answer : answers) {
                try {
                    EngineVersion v = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    healthy++;
                    if (version.isEmpty()) {
                        version = Optional.of(v.version());
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // This engine did not answer its probe; the count says so.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new Snapshot(now, healthy, engines.size(), version);
        } finally {
            // Probes still running are interrupted; their threads end as the engine client
            // gives up on the interrupted exchange.
            probes.shutdownNow();
        }
    }
}
