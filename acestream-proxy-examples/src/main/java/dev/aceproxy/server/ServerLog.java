package dev.aceproxy.server;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.StreamListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The reference server's log lines for what the registry does not log itself: failovers, and
 * players joining and leaving. Each join and leave is logged at {@code DEBUG} only; at
 * {@code INFO} a summary line says how many joined and left, and why they left, at most once per
 * {@link #SUMMARY_INTERVAL} (written with the first event after the interval), so that a herd of
 * players or a client reconnecting in a loop cannot flood the log. Session starts, recoveries and
 * stops are logged by the registry. Thread-safe.
 */
final class ServerLog implements StreamListener {

    /** The shortest time between two summary lines. */
    static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.server");

    private final LongSupplier nanoTime;
    private final System.Logger log;
    private long windowStart;
    private int joined;
    private int left;
    private final Map<EndReason, Integer> reasons = new EnumMap<>(EndReason.class);

    ServerLog() {
        this(System::nanoTime, LOG);
    }

    ServerLog(LongSupplier nanoTime, System.Logger log) {
        this.nanoTime = nanoTime;
        this.log = log;
        this.windowStart = nanoTime.getAsLong();
    }

    @Override
    public void failover(String sessionKey, ContentId from, ContentId to) {
        log.log(Level.INFO, () -> "session " + sessionKey + " failed over from " + from.hex() + " to " + to.hex());
    }

    @Override
    public void clientJoined(String sessionKey, long clientId) {
        log.log(Level.DEBUG, () -> "client " + clientId + " joined session " + sessionKey);
        count(null);
    }

    @Override
    public void clientLeft(String sessionKey, long clientId, StreamEnd end) {
        log.log(Level.DEBUG, () -> "client " + clientId + " left session " + sessionKey + ": "
                + end.reason() + end.detail().map(d -> " (" + d + ")").orElse(""));
        count(end.reason());
    }

    private void count(EndReason leftBecause) {
        String summary = null;
        synchronized (this) {
            if (leftBecause == null) {
                joined++;
            } else {
                left++;
                reasons.merge(leftBecause, 1, Integer::sum);
            }
            long now = nanoTime.getAsLong();
            if (now - windowStart >= SUMMARY_INTERVAL.toNanos()) {
                summary = "players: " + joined + " joined, " + left + " left" + (reasons.isEmpty() ? "" : " " + reasons)
                        + " in the last " + Duration.ofNanos(now - windowStart).toSeconds() + " s";
                windowStart = now;
                joined = 0;
                left = 0;
                reasons.clear();
            }
        }
        if (summary != null) {
            log.log(Level.INFO, summary);
        }
    }
}
