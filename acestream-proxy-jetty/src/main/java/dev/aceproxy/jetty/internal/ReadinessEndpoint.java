package dev.aceproxy.jetty.internal;

import dev.aceproxy.registry.Readiness;
import dev.aceproxy.registry.StreamRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.Set;

/**
 * {@code GET /readyz}: whether a load balancer should send new players here. 200 when the registry
 * takes new sessions (not draining, not shut down, at least one engine healthy in its pool);
 * otherwise 503 with {@code Retry-After} and a body whose {@code status} says why
 * ({@code draining}, {@code no healthy engine}, {@code shut down}). It asks the registry only, never
 * an engine, so it may be polled as often as a balancer likes. Engine addresses are not shown,
 * since this endpoint needs no token.
 */
public final class ReadinessEndpoint extends ReadOnlyEndpoint {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient StreamRegistry registry;
    private final transient Duration retryAfter;

    /**
     * Creates the endpoint.
     *
     * @param registry the registry to ask
     * @param retryAfter the {@code Retry-After} of a 503
     */
    public ReadinessEndpoint(StreamRegistry registry, Duration retryAfter) {
        super(Set.of());
        this.registry = registry;
        this.retryAfter = retryAfter;
    }

    @Override
    protected void answer(QueryParameters query, HttpServletResponse response) throws IOException {
        Readiness r = registry.readiness();
        JsonWriter json = new JsonWriter().beginObject()
                .name("status").value(r.reason())
                .name("ready").value(r.ready())
                .name("draining").value(r.draining())
                .name("engines_healthy").value(r.enginesHealthy())
                .name("engines_total").value(r.enginesTotal())
                .name("sessions").value(r.sessions())
                .name("max_sessions").value(r.maxSessions())
                .endObject();
        if (!r.ready()) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        JsonResponses.send(response, r.ready() ? 200 : 503, json);
    }
}
