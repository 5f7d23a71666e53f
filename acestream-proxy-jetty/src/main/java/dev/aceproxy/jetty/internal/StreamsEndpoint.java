package dev.aceproxy.jetty.internal;

import dev.aceproxy.registry.StreamRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Set;

/** {@code GET /api/v1/streams}: the registry's full status as JSON. */
public final class StreamsEndpoint extends ReadOnlyEndpoint {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient StreamRegistry registry;

    /**
     * Creates the endpoint.
     *
     * @param registry the registry to report on
     */
    public StreamsEndpoint(StreamRegistry registry) {
        super(Set.of());
        this.registry = registry;
    }

    @Override
    protected void answer(QueryParameters query, HttpServletResponse response) throws IOException {
        JsonResponses.send(response, 200, StatusJson.write(registry.status()));
    }
}
