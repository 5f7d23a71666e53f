package dev.aceproxy.upstream.internal;

import dev.aceproxy.registry.internal.EnginePool;
import java.time.Duration;

/**
 * The wait before a session's next attempt to get data from an engine. Three cases:
 * <ul>
 *   <li>the failure said exactly what to do next (the engine forgot the session; the engine is
 *       gone and the pool has another): no wait;</li>
 *   <li>the engine refused the connection and no other is healthy: wait up to the backoff, but
 *       probe that engine every {@link #REFUSED_PROBE_INTERVAL} and go as soon as it answers, so
 *       that players get data within a fraction of a second of the engine being back;</li>
 *   <li>otherwise: the backoff, capped at {@link #PLAYERS_WAITING_CAP} while players wait.</li>
 * </ul>
 */
public final class RecoveryWait {

    /**
     * The longest backoff while the session has players: a player that waits gets its data at
     * most this long after an answering engine can give it.
     */
    public static final Duration PLAYERS_WAITING_CAP = Duration.ofSeconds(1);
    /** How often a refusing engine is probed while a session waits for it (a refused connect costs microseconds). */
    public static final Duration REFUSED_PROBE_INTERVAL = Duration.ofMillis(100);

    private final EnginePool pool;

    public RecoveryWait(EnginePool pool) {
        this.pool = pool;
    }

    /**
     * How long to wait before the next attempt, at most: nothing when the last failure said what to
     * do next; the full backoff for a refusing engine (which is probed meanwhile); else the
     * backoff, capped while players wait.
     *
     * @param backoff the retry policy's backoff for the attempt
     * @param atOnce whether the next attempt goes at once
     * @param refusing the engine that refused the last attempt, or null
     * @param players whether players wait for this session
     */
    public static Duration before(Duration backoff, boolean atOnce, EnginePool.Slot refusing, boolean players) {
        if (atOnce) {
            return Duration.ZERO;
        }
        if (refusing == null && players && backoff.compareTo(PLAYERS_WAITING_CAP) > 0) {
            return PLAYERS_WAITING_CAP;
        }
        return backoff;
    }

    /**
     * Waits {@code wait}; when {@code refusing} is given, ends early as soon as that engine answers
     * a probe.
     *
     * @param wait the longest wait
     * @param refusing the engine that refused the last attempt, or null
     * @throws InterruptedException if the session is stopping
     */
    public void pause(Duration wait, EnginePool.Slot refusing) throws InterruptedException {
        if (refusing == null) {
            if (wait.isPositive()) {
                Thread.sleep(wait);
            }
            return;
        }
        long end = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Duration.ofNanos(Math.min(left, REFUSED_PROBE_INTERVAL.toNanos())));
            if (pool.probeNow(refusing)) {
                return;
            }
        }
    }
}
