package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.EngineEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A session's playback url: plays the scripted start faults (start timeout, warm-up EOF) and the
 * optional redirect, enforces the one-reader rule (or lets a reader with {@code
 * stop_prev_read_thread=1} replace the current one), holds the answer, headers included, until the
 * content's download has prebuffered, then streams the looped clip.
 */
final class PlaybackEndpoint {

    /** How long a new reader waits for the previous one to finish going away before it counts as a second reader. */
    private static final long READER_HANDOVER_NANOS = 200_000_000L;
    /** Longest sleep while prebuffering, so that a reader that left or a stop is noticed soon. */
    private static final long PREBUFFER_CHECK_NANOS = 20_000_000L;
    /**
     * The broken answer a second reader gets: a stream head whose body is a second status line
     * instead of MPEG-TS, then EOF.
     */
    private static final String SECOND_READER_ANSWER =
            "HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\nConnection: close\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\n\r\n";

    private final EngineParts parts;

    PlaybackEndpoint(EngineParts parts) {
        this.parts = parts;
    }

    void handle(Exchange exchange, HttpRequest request, String infohash, String key, boolean redirected)
            throws IOException, InterruptedException {
        LiveSession session = parts.sessions().find(infohash, key);
        if (session == null) {
            exchange.sendText(404, SessionCommands.UNKNOWN_SESSION);
            return;
        }
        if (parts.config().playbackRedirect() && !redirected) {
            String host = request.headers().get("host");
            String prefix = host == null || host.isEmpty() ? "" : "http://" + host;
            String query = "1".equals(request.parameter("stop_prev_read_thread")) ? "?stop_prev_read_thread=1" : "";
            exchange.sendRedirect(prefix + EngineRouter.REDIRECTED_PLAYBACK_PREFIX + infohash + "/" + key + query);
            return;
        }
        parts.counters().playbackOpens.incrementAndGet();
        parts.events().record(EngineEvent.Kind.PLAYBACK_OPENED, session);
        session.touch();
        FaultScript faults = parts.faults();
        if (faults.takeStartTimeout()) {
            exchange.sendText(500, "start timeout");
            return;
        }
        if (faults.takeEmptyPlayback()) {
            exchange.sendStreamHead();
            parts.events().record(EngineEvent.Kind.PLAYBACK_HEADERS_SENT, session);
            exchange.connection().close();
            parts.events().record(EngineEvent.Kind.PLAYBACK_CLOSED, session);
            return;
        }
        Connection connection = exchange.connection();
        if ("1".equals(request.parameter("stop_prev_read_thread"))) {
            if (session.replaceReader(connection)) {
                parts.counters().readerReplacements.incrementAndGet();
                parts.events().record(EngineEvent.Kind.READER_REPLACED, session);
            }
        } else if (!claimReader(session, connection)) {
            parts.counters().secondReaderAttempts.incrementAndGet();
            parts.events().record(EngineEvent.Kind.SECOND_READER, session);
            exchange.writeRaw(SECOND_READER_ANSWER);
            return;
        }
        boolean headersSent = false;
        try {
            parts.workers().start("playback-peer", () -> watchPeer(session, connection));
            if (!awaitPrebuffered(session, connection)) {
                return;
            }
            connection.streaming(true);
            exchange.sendStreamHead();
            headersSent = true;
            parts.events().record(EngineEvent.Kind.PLAYBACK_HEADERS_SENT, session);
            new PlaybackBody(parts, session, connection).run(exchange.body());
        } finally {
            connection.streaming(false);
            session.releaseReader(connection);
            if (headersSent) {
                connection.close();
                parts.events().record(EngineEvent.Kind.PLAYBACK_CLOSED, session);
            }
        }
    }

    /**
     * Waits, with no answer sent, until the content's download has prebuffered.
     *
     * @return whether the reader should be answered: false if it left, was replaced, or the session stopped
     */
    private static boolean awaitPrebuffered(LiveSession session, Connection connection) throws InterruptedException {
        while (true) {
            if (session.isStopped() || connection.isClosed() || !session.isReader(connection)) {
                return false;
            }
            long left = session.download().nanosUntilPrebuffered(System.nanoTime());
            if (left == 0) {
                return true;
            }
            Thread.sleep(Duration.ofNanos(Math.min(left, PREBUFFER_CHECK_NANOS)));
        }
    }

    /**
     * A reader that just disconnected may not have been noticed yet; give it a moment before
     * treating the newcomer as a second, concurrent reader.
     */
    private static boolean claimReader(LiveSession session, Connection connection) throws InterruptedException {
        long deadline = System.nanoTime() + READER_HANDOVER_NANOS;
        while (!session.claimReader(connection)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /**
     * Notices at once when the reader goes away, so its session is free for the next reader, even
     * while the streaming thread is held by a stall or prebuffering and would not notice until its
     * next write.
     */
    private static void watchPeer(LiveSession session, Connection connection) {
        byte[] sink = new byte[512];
        try {
            InputStream in = connection.socket().getInputStream();
            while (in.read(sink) >= 0) {
                // a player sends nothing after its request; whatever comes is dropped
            }
        } catch (IOException ignored) {
            // the connection is gone either way
        }
        connection.close();
        session.releaseReader(connection);
    }
}
