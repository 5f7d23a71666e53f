package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.registry.StreamRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /ace/status} as acexy answers it: {@code {"streams": N}}; with {@code ?id=} or
 * {@code ?infohash=}: {@code {"clients": N, "stat_url": "..."}} for a running session, else 404.
 */
public final class AcexyStatusEndpoint extends ReadOnlyEndpoint {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient StreamRegistry registry;

    /**
     * Creates the endpoint.
     *
     * @param registry the registry to report on
     */
    public AcexyStatusEndpoint(StreamRegistry registry) {
        super(Set.of("id", "infohash"));
        this.registry = registry;
    }

    @Override
    protected void answer(QueryParameters query, HttpServletResponse response) throws IOException, HttpProblem {
        Optional<String> id = query.single("id");
        Optional<String> infohash = query.single("infohash");
        if (id.isPresent() && infohash.isPresent()) {
            throw HttpProblem.badRequest("ambiguous_content", "give either id or infohash, not both");
        }
        if (id.isEmpty() && infohash.isEmpty()) {
            JsonResponses.send(response, 200,
                    new JsonWriter().beginObject().name("streams").value(registry.status().sessions().size()).endObject());
            return;
        }
        ContentId content;
        try {
            content = id.isPresent() ? ContentId.id(id.get()) : ContentId.infohash(infohash.get());
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_content", e.getMessage());
        }
        SessionStatus session = registry.status(content).orElseThrow(() -> HttpProblem.of(404, "not_found",
                "no stream is running for " + content.kind().parameter() + " " + content.hex()));
        JsonWriter json = new JsonWriter().beginObject()
                .name("clients").value(session.clients().size())
                .name("stat_url").value(session.statUri().map(Object::toString).orElse(null))
                .endObject();
        JsonResponses.send(response, 200, json);
    }
}
