package dev.aceproxy.jetty.internal;

import dev.aceproxy.registry.StreamRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Set;

/**
 * {@code GET /livez}: 200 while the proxy answers requests, whatever its engines do (a restart of
 * the proxy would not bring a dead engine back); 503 only once the registry is shut down. For a
 * liveness check; {@code /readyz} says whether to send players here.
 */
public final class LivenessEndpoint extends ReadOnlyEndpoint {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient StreamRegistry registry;

    /**
     * Creates the endpoint.
     *
     * @param registry the registry to ask
     */
    public LivenessEndpoint(StreamRegistry registry) {
        super(Set.of());
        this.registry = registry;
    }

    @Override
    protected void answer(QueryParameters query, HttpServletResponse response) throws IOException {
        boolean live = !registry.isShutdown();
        JsonWriter json = new JsonWriter().beginObject()
                .name("status").value(live ? "live" : "shut down")
                .name("draining").value(registry.isDraining())
                .endObject();
        JsonResponses.send(response, live ? 200 : 503, json);
    }
}
