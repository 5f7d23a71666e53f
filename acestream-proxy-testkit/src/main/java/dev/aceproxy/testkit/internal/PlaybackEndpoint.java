package dev.aceproxy.testkit.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * A session's playback url: enforces the one-reader rule, plays the scripted start faults (warm-up
 * EOF, start timeout), the prebuffer delay and the optional redirect, then streams the looped clip.
 */
final class PlaybackEndpoint {

    /** How long a new reader waits for the previous one to finish going away before it counts as a second reader. */
    private static final long READER_HANDOVER_NANOS = 200_000_000L;
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
            exchange.sendRedirect(prefix + EngineRouter.REDIRECTED_PLAYBACK_PREFIX + infohash + "/" + key);
            return;
        }
        parts.counters().playbackOpens.incrementAndGet();
        session.touch();
        FaultScript faults = parts.faults();
        if (faults.takeStartTimeout()) {
            exchange.sendText(500, "start timeout");
            return;
        }
        if (faults.takeEmptyPlayback()) {
            exchange.sendStreamHead();
            return;
        }
        Connection connection = exchange.connection();
        if (!claimReader(session, connection)) {
            parts.counters().secondReaderAttempts.incrementAndGet();
            exchange.writeRaw(SECOND_READER_ANSWER);
            return;
        }
        try {
            prebuffer(session);
            if (session.isStopped()) {
                return;
            }
            connection.streaming(true);
            exchange.sendStreamHead();
            parts.workers().start("playback-peer", () -> watchPeer(session, connection));
            new PlaybackStream(parts, session).run(exchange.body());
        } finally {
            connection.streaming(false);
            session.releaseReader(connection);
        }
    }

    private void prebuffer(LiveSession session) throws InterruptedException {
        if (!session.needsPrebuffer()) {
            return;
        }
        session.prebuffering(true);
        try {
            if (parts.config().prebufferDelay().isPositive()) {
                Thread.sleep(parts.config().prebufferDelay());
            }
        } finally {
            session.prebuffering(false);
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
     * while the streaming thread is held by a stall and would not notice until its next write.
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
