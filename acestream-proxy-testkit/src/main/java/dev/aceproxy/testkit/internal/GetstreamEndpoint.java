package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.EngineEvent;
import dev.aceproxy.testkit.GetstreamFault;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code /ace/getstream}: starts or finds the (content, pid) session and answers its urls as JSON
 * ({@code format=json}) or as a 302 to the playback url. A request without {@code pid} (or its old
 * name {@code sid}) is one fixed pid, {@value #NO_PID}.
 */
final class GetstreamEndpoint {

    /** The pid of a getstream that names none. */
    static final String NO_PID = "";

    private final EngineParts parts;

    GetstreamEndpoint(EngineParts parts) {
        this.parts = parts;
    }

    void handle(Exchange exchange, HttpRequest request) throws IOException, InterruptedException {
        parts.counters().getstreamCalls.incrementAndGet();
        String pid = pidOf(request);
        String requested = contentOf(request);
        parts.events().record(EngineEvent.Kind.GETSTREAM,
                requested != null && isHex40(requested) ? infohashOf(request) : null, pid, null);
        boolean json = "json".equals(request.parameter("format"));
        Optional<GetstreamFault> fault = parts.faults().takeGetstreamFault();
        if (fault.isPresent()) {
            answerFault(exchange, fault.get(), json);
            return;
        }
        String given = requested;
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
        LiveSession session = parts.sessions().open(infohashOf(request), pid);
        String path = session.infohash() + "/" + session.key();
        String playbackUrl = parts.url(EngineRouter.PLAYBACK_PREFIX + path);
        if (!json) {
            exchange.sendRedirect(playbackUrl);
            return;
        }
        EngineJson response = new EngineJson()
                .put("playback_url", playbackUrl)
                .put("stat_url", parts.url(EngineRouter.STAT_PREFIX + path))
                .put("command_url", parts.url(EngineRouter.COMMAND_PREFIX + path))
                .put("event_url", parts.url("/ace/event/" + path))
                .put("infohash", session.infohash())
                .put("playback_session_id", session.playbackSessionId())
                .put("is_live", parts.config().unknownLiveFlags() ? -1 : 1)
                .put("is_encrypted", parts.config().unknownLiveFlags() ? -1 : 0)
                .put("client_session_id", -1);
        exchange.sendJson(new EngineJson().put("response", response).put("error", null).toString());
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
            exchange.sendJson(new EngineJson().put("response", null).put("error", text).toString());
        } else {
            exchange.sendText(500, text);
        }
    }

    private static String pidOf(HttpRequest request) {
        String pid = request.parameter("pid") != null ? request.parameter("pid") : request.parameter("sid");
        return pid != null ? pid : NO_PID;
    }

    private static String idOf(HttpRequest request) {
        return request.parameter("id") != null ? request.parameter("id") : request.parameter("content_id");
    }

    /** @return the content id or infohash as requested, or null */
    private static String contentOf(HttpRequest request) {
        return idOf(request) != null ? idOf(request) : request.parameter("infohash");
    }

    /** @return the infohash of a request whose content is 40 hex characters */
    private static String infohashOf(HttpRequest request) {
        String id = idOf(request);
        return id != null ? ContentInfohash.of(id) : request.parameter("infohash").toLowerCase(Locale.ROOT);
    }

    private static boolean isHex40(String value) {
        return value.length() == 40 && value.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 0x80);
    }
}
