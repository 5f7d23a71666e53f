package dev.aceproxy.jetty.internal;

import dev.aceproxy.registry.StreamRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Set;

/**
 * {@code GET /api/v1/streams}: the registry's full status as JSON, written one session at a time
 * and listing at most {@link StatusJson#MAX_CLIENTS_LISTED} clients.
 */
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
        // Streamed one session at a time (and capped, see StatusJson): never held whole.
        response.setStatus(200);
        response.setContentType(JsonResponses.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        java.io.Writer body = new java.io.OutputStreamWriter(response.getOutputStream(),
                java.nio.charset.StandardCharsets.UTF_8);
        StatusJson.stream(registry.status(), hls == null ? null : hls.status(), body);
        body.write('\n');
        body.flush();
    }
}
