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
    private final transient dev.aceproxy.hls.HlsService hls;

    /**
     * Creates the endpoint.
     *
     * @param registry the registry to report on
     */
    public StreamsEndpoint(StreamRegistry registry) {
        this(registry, null);
    }

    /**
     * Creates the endpoint with the HLS sessions too.
     *
     * @param registry the registry to report on
     * @param hls the HLS service, or {@code null}
     */
    public StreamsEndpoint(StreamRegistry registry, dev.aceproxy.hls.HlsService hls) {
        super(Set.of());
        this.registry = registry;
        this.hls = hls;
    }

    @Override
    protected void answer(QueryParameters query, HttpServletResponse response) throws IOException {
        JsonResponses.send(response, 200, StatusJson.write(registry.status(), hls == null ? null : hls.status()));
    }
}
