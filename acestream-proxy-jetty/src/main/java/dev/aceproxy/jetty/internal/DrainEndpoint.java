package dev.aceproxy.jetty.internal;

import dev.aceproxy.registry.Readiness;
import dev.aceproxy.registry.StreamRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Set;

/**
 * {@code POST /api/v1/drain}: the registry starts draining ({@link StreamRegistry#startDraining()}):
 * no new session from now on, so new players get 503 with {@code Retry-After} and a balancer moves
 * them, while the players here go on. Idempotent; answers 200 with the readiness that follows.
 * Any other method gets 405. An admin path: it needs the admin token (the access token when no
 * admin token is set), like the other status endpoints; without tokens the Host/Origin guard applies.
 */
public final class DrainEndpoint extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient StreamRegistry registry;

    /**
     * Creates the endpoint.
     *
     * @param registry the registry to drain
     */
    public DrainEndpoint(StreamRegistry registry) {
        this.registry = registry;
    }

    /**
     * Checks the method and the query, then drains.
     *
     * @param request the request
     * @param response the response
     * @throws IOException if the response cannot be written
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            if (!request.getMethod().equals("POST")) {
                throw HttpProblem.methodNotAllowed(request.getMethod(), "POST");
            }
            QueryParameters query = QueryParameters.parse(request.getQueryString());
            query.requireOnly(Set.of("token"));
            query.opaque("token");
            registry.startDraining();
            Readiness r = registry.readiness();
            JsonResponses.send(response, 200, new JsonWriter().beginObject()
                    .name("draining").value(r.draining())
                    .name("sessions").value(r.sessions())
                    .name("clients").value(registry.status().totals().clients())
                    .endObject());
        } catch (HttpProblem problem) {
            JsonResponses.sendError(response, problem);
        }
    }
}
