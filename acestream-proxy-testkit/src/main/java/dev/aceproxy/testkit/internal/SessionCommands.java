package dev.aceproxy.testkit.internal;

import java.io.IOException;
import java.time.Instant;

/** A session's stat url and command url ({@code method=stop}). */
final class SessionCommands {

    static final String UNKNOWN_SESSION = "unknown playback session id";

    private final EngineParts parts;

    SessionCommands(EngineParts parts) {
        this.parts = parts;
    }

    void stat(Exchange exchange, String infohash, String key) throws IOException {
        parts.counters().statCalls.incrementAndGet();
        if (parts.faults().garbageStat()) {
            exchange.send(200, "text/html", "<html><body>500 Internal Server Error</body></html>");
            return;
        }
        LiveSession session = parts.sessions().find(infohash, key);
        if (session == null) {
            exchange.sendJson(unknownSession());
            return;
        }
        session.touch();
        long now = System.nanoTime();
        long liveLast = Instant.now().getEpochSecond();
        long liveFirst = liveLast - Math.min(900, session.ageNanos(now) / 1_000_000_000L);
        long speedDownKBps = parts.config().bitsPerSecond() / 8 / 1000;
        JsonObject livepos = new JsonObject()
                .put("pos", Long.toString(liveLast - 2))
                .put("live_first", Long.toString(liveFirst))
                .put("live_last", Long.toString(liveLast))
                .put("first_ts", Long.toString(liveFirst))
                .put("last_ts", Long.toString(liveLast))
                .put("buffer_pieces", "15");
        JsonObject response = new JsonObject()
                .put("status", session.isPrebuffering() ? "prebuf" : parts.faults().stalledNow() ? "buf" : "dl")
                .put("peers", 7)
                .put("speed_down", session.hasReader() ? speedDownKBps : 0)
                .put("speed_up", 0)
                .put("downloaded", session.downloaded())
                .put("uploaded", 0)
                .put("total_progress", 0)
                .put("livepos", livepos);
        exchange.sendJson(new JsonObject().put("response", response).put("error", null).toString());
    }

    void command(Exchange exchange, HttpRequest request, String infohash, String key)
            throws IOException, InterruptedException {
        if (!"stop".equals(request.parameter("method"))) {
            exchange.sendJson(new JsonObject().put("response", null).put("error", "unknown method").toString());
            return;
        }
        parts.counters().stopCalls.incrementAndGet();
        if (parts.faults().holdStop()) {
            return;
        }
        LiveSession session = parts.sessions().find(infohash, key);
        if (session == null || !parts.sessions().stop(session)) {
            exchange.sendJson(unknownSession());
            return;
        }
        session.stop();
        exchange.sendJson(new JsonObject().put("response", "ok").put("error", null).toString());
    }

    static String unknownSession() {
        return new JsonObject().put("response", null).put("error", UNKNOWN_SESSION).toString();
    }
}
