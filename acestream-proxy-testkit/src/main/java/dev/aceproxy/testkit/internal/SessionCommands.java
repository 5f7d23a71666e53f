package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.EngineEvent;
import java.io.IOException;
import java.time.Instant;

/**
 * A session's stat url and command url ({@code method=stop}). The stat status is {@code prebuf}
 * while the content's download prebuffers (with {@code -1} for the numbers the engine does not know
 * yet), {@code buf} during a stall, {@code dl} otherwise.
 */
final class SessionCommands {

    static final String UNKNOWN_SESSION = "unknown playback session id";
    /** What the engine answers for a number it does not know yet. */
    private static final int UNKNOWN = -1;
    private static final int PEERS = 7;

    private final EngineParts parts;

    SessionCommands(EngineParts parts) {
        this.parts = parts;
    }

    void stat(Exchange exchange, String infohash, String key) throws IOException {
        parts.counters().statCalls.incrementAndGet();
        LiveSession known = parts.sessions().find(infohash, key);
        parts.events().record(EngineEvent.Kind.STAT, infohash, known != null ? known.pid() : null, key);
        if (parts.faults().garbageStat()) {
            exchange.send(200, "text/html", "<html><body>500 Internal Server Error</body></html>");
            return;
        }
        LiveSession session = known;
        if (session == null) {
            exchange.sendJson(unknownSession());
            return;
        }
        session.touch();
        long now = System.nanoTime();
        boolean prebuffering = session.download().isPrebuffering(now);
        boolean buffering = !prebuffering && parts.faults().isStalled();
        long liveLast = Instant.now().getEpochSecond();
        long liveFirst = liveLast - Math.min(900, session.download().ageNanos(now) / 1_000_000_000L);
        long speedDownKBps = parts.config().bitsPerSecond() / 8 / 1000;
        EngineJson livepos = new EngineJson()
                .put("pos", Long.toString(liveLast - 2))
                .put("live_first", Long.toString(liveFirst))
                .put("live_last", Long.toString(liveLast))
                .put("first_ts", Long.toString(liveFirst))
                .put("last_ts", Long.toString(liveLast))
                .put("buffer_pieces", "15");
        EngineJson response = new EngineJson()
                .put("status", prebuffering ? "prebuf" : buffering ? "buf" : "dl")
                .put("peers", prebuffering ? UNKNOWN : PEERS)
                .put("speed_down", prebuffering ? UNKNOWN : session.hasReader() && !buffering ? speedDownKBps : 0)
                .put("speed_up", prebuffering ? UNKNOWN : 0)
                .put("downloaded", session.downloaded())
                .put("uploaded", 0)
                .put("total_progress", prebuffering ? UNKNOWN : 0)
                .put("livepos", livepos);
        exchange.sendJson(new EngineJson().put("response", response).put("error", null).toString());
    }

    void command(Exchange exchange, HttpRequest request, String infohash, String key)
            throws IOException, InterruptedException {
        if (!"stop".equals(request.parameter("method"))) {
            exchange.sendJson(new EngineJson().put("response", null).put("error", "unknown method").toString());
            return;
        }
        parts.counters().stopCalls.incrementAndGet();
        LiveSession known = parts.sessions().find(infohash, key);
        parts.events().record(EngineEvent.Kind.STOP, infohash, known != null ? known.pid() : null, key);
        if (parts.faults().holdStop()) {
            return;
        }
        LiveSession session = parts.sessions().find(infohash, key);
        if (session == null || !parts.sessions().stop(session)) {
            exchange.sendJson(unknownSession());
            return;
        }
        exchange.sendJson(new EngineJson().put("response", "ok").put("error", null).toString());
    }

    static String unknownSession() {
        return new EngineJson().put("response", null).put("error", UNKNOWN_SESSION).toString();
    }
}
