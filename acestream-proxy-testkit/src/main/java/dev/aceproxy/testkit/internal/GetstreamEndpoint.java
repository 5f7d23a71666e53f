package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.GetstreamFault;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /ace/getstream}: starts or joins the content's one session and answers its urls as JSON
 * ({@code format=json}) or as a 302 to the playback url.
 */
final class GetstreamEndpoint {

    private final EngineParts parts;

    GetstreamEndpoint(EngineParts parts) {
        this.parts = parts;
    }

    void handle(Exchange exchange, HttpRequest request) throws IOException, InterruptedException {
        parts.counters().getstreamCalls.incrementAndGet();
        boolean json = "json".equals(request.parameter("format"));
        Optional<GetstreamFault> fault = parts.faults().takeGetstreamFault();
        if (fault.isPresent()) {
            answerFault(exchange, fault.get(), json);
            return;
        }
        String id = request.parameter("id") != null ? request.parameter("id") : request.parameter("content_id");
        String infohash = request.parameter("infohash");
        String given = id != null ? id : infohash;
        if (given == null) {
            answerError(exchange, json, "missing content id");
            return;
        }
        if (!isHex40(given)) {
            answerError(exchange, json, "invalid content id");
            return;
        }
        if (parts.faults().isUnavailable(given)) {
            answerError(exchange, json, "failed to load content");
            return;
        }
        LiveSession session = parts.sessions().open(id != null ? ContentInfohash.of(id) : infohash.toLowerCase(Locale.ROOT));
        String path = session.infohash() + "/" + session.key();
        String playbackUrl = parts.url(EngineRouter.PLAYBACK_PREFIX + path);
        if (!json) {
            exchange.sendRedirect(playbackUrl);
            return;
        }
        JsonObject response = new JsonObject()
                .put("playback_url", playbackUrl)
                .put("stat_url", parts.url(EngineRouter.STAT_PREFIX + path))
                .put("command_url", parts.url(EngineRouter.COMMAND_PREFIX + path))
                .put("event_url", parts.url("/ace/event/" + path))
                .put("infohash", session.infohash())
                .put("playback_session_id", session.playbackSessionId())
                .put("is_live", 1)
                .put("is_encrypted", 0)
                .put("client_session_id", -1);
        exchange.sendJson(new JsonObject().put("response", response).put("error", null).toString());
    }

    private void answerFault(Exchange exchange, GetstreamFault fault, boolean json)
            throws IOException, InterruptedException {
        switch (fault) {
            case GetstreamFault.EngineError error -> answerError(exchange, json, error.text());
            case GetstreamFault.HttpStatus status -> exchange.sendText(status.status(), "engine fault");
            case GetstreamFault.MalformedJson ignored ->
                    exchange.sendJson("{\"response\": {\"playback_url\": \"" + parts.url("/ace/r/"));
            case GetstreamFault.NoAnswer ignored -> parts.faults().holdUntilCleared();
        }
    }

    private static void answerError(Exchange exchange, boolean json, String text) throws IOException {
        if (json) {
            exchange.sendJson(new JsonObject().put("response", null).put("error", text).toString());
        } else {
            exchange.sendText(500, text);
        }
    }

    private static boolean isHex40(String value) {
        return value.length() == 40 && value.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80);
    }
}
