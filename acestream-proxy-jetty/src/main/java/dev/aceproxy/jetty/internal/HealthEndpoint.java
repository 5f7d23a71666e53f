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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /healthz}: probes every engine ({@code get_version}) at once and answers 200 when at
 * least one answers within the timeout, else 503; the body says how many answered. Neither the
 * engines' addresses nor their version are shown, since this endpoint needs no token (the status
 * shows them). Answers are cached for a second, and probing is single-flight: however many
 * health checks arrive while the engines are being probed, they wait for that one probe, so a
 * burst of checks against a hanging engine costs it one probe.
 */
public final class HealthEndpoint extends ReadOnlyEndpoint {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final transient StreamRegistry registry;
    private final transient Duration timeout;
    private transient Snapshot cached;
    private transient CompletableFuture<Snapshot> probing;

    private record Snapshot(long atNanos, int healthy, int total) {
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
                .endObject();
        JsonResponses.send(response, snapshot.healthy() > 0 ? 200 : 503, json);
    }

    private Snapshot snapshot() throws IOException {
        CompletableFuture<Snapshot> flight;
        boolean leader = false;
        synchronized (this) {
            if (cached != null && System.nanoTime() - cached.atNanos() < CACHE_NANOS) {
                return cached;
            }
            if (probing == null) {
                probing = new CompletableFuture<>();
                leader = true;
            }
            flight = probing;
        }
        if (leader) {
            Snapshot fresh;
            try {
                fresh = probe(System.nanoTime());
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    probing = null;
                }
                flight.completeExceptionally(e);
                throw e;
            }
            synchronized (this) {
                cached = fresh;
                probing = null;
            }
            flight.complete(fresh);
            return fresh;
        }
        try {
            return flight.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the engines' health", e);
        } catch (ExecutionException e) {
            throw new IOException("the health probe failed", e.getCause());
        }
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
            for (Future<EngineVersion> answer : answers) {
                try {
                    answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    healthy++;
                } catch (ExecutionException | TimeoutException e) {
                    // This engine did not answer its probe; the count says so.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return new Snapshot(now, healthy, engines.size());
        } finally {
            // Probes still running are interrupted; their threads end as the engine client
            // gives up on the interrupted exchange.
            probes.shutdownNow();
        }
    }
}
