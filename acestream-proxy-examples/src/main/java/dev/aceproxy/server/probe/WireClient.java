package dev.aceproxy.server.probe;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Asks the engine over plain sockets and records what it answers ({@link RecordedAnswer}). Every
 * call is bounded: the connect, the head and the body each by a timeout, the body also in size.
 */
final class WireClient {

    /** The largest body of a short answer kept, in bytes (the engine's JSON is well under 1 KiB). */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** How long to watch a connection after a framed body to see whether the engine closes it. */
    static final Duration CONNECTION_WATCH = Duration.ofMillis(300);

    private final String userAgent;
    private final Duration connectTimeout;
    private final ProbeClock clock;

    WireClient(String userAgent, Duration connectTimeout, ProbeClock clock) {
        this.userAgent = userAgent;
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    /**
     * Asks for a short answer (JSON, a redirect, an error) and reads it whole, within
     * {@code timeout} for the head and again for the body.
     *
     * @throws IOException if the engine cannot be reached, or sends no head in time
     */
    RecordedAnswer fetch(URI uri, Duration timeout) throws IOException {
        long at = clock.millis();
        long started = System.nanoTime();
        try (WireConnection connection = open(uri, timeout)) {
            RecordedBody body = connection.readBody(MAX_ANSWER_BYTES, timeout);
            long total = ProbeClock.millisSince(started);
            String after = connection.head().framing() == Framing.CLOSE_DELIMITED || body.end().startsWith("failed")
                    ? (body.end().equals("close") ? "closed" : body.end())
                    : connection.connectionAfterBody(CONNECTION_WATCH);
            return new RecordedAnswer(uri.toString(), connection.request(), at, connection.headMillis(), total,
                    connection.head(), body, after);
        }
    }

    /**
     * Opens a request and reads its head; the caller reads the body and closes the connection.
     *
     * @throws IOException if the engine cannot be reached, or sends no head in time
     */
    WireConnection open(URI uri, Duration headTimeout) throws IOException {
        return WireConnection.open(uri, userAgent, connectTimeout, headTimeout);
    }

    ProbeClock clock() {
        return clock;
    }
}
