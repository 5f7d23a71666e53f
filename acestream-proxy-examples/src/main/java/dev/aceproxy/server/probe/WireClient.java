package dev.aceproxy.server.probe;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks the engine over plain sockets and records what it answers ({@link RecordedAnswer}). Every
 * call is bounded: the connect, the head and the body each by a timeout, the body also in size.
 */
final class WireClient {

    /** The largest body of a short answer kept, in bytes (the engine's JSON is well under 1 KiB). */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** How long to watch a connection after a framed body to see whether the engine closes it. */
    static final Duration CONNECTION_WATCH = Duration.ofMillis(300);
    /** The most redirects followed, as the engine client does. */
    static final int MAX_REDIRECTS = 5;

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

    /**
     * Opens a playback request and follows redirects while they stay on the engine's host and port
     * (at most {@link #MAX_REDIRECTS}, all within {@code headTimeout}), recording each redirect's
     * head into {@code hops}. The connection returned holds the first answer that is not such a
     * redirect (a redirect elsewhere, or one too many, is returned as is).
     *
     * @throws IOException if the engine cannot be reached, or sends no head in time
     */
    WireConnection openFollowing(URI uri, Duration headTimeout, URI engine, List<Object> hops) throws IOException {
        long deadline = System.nanoTime() + headTimeout.toNanos();
        URI next = uri;
        for (int hop = 0; ; hop++) {
            Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
            WireConnection connection = open(next, left);
            RecordedHead head = connection.head();
            Optional<String> location = head.first("Location");
            if (!isRedirect(head.status()) || location.isEmpty() || hop == MAX_REDIRECTS) {
                return connection;
            }
            URI target;
            try {
                target = next.resolve(location.get());
            } catch (IllegalArgumentException e) {
                return connection;
            }
            if (!sameHostAndPort(engine, target)) {
                return connection;
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("url", next.toString());
            record.put("head_ms", connection.headMillis());
            record.putAll(head.toReport());
            hops.add(record);
            connection.close();
            next = target;
        }
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    static boolean sameHostAndPort(URI engine, URI target) {
        return target.getHost() != null && engine.getHost().equalsIgnoreCase(target.getHost())
                && port(engine) == port(target);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    ProbeClock clock() {
        return clock;
    }
}
