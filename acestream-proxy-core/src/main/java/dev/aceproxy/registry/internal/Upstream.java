package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.EngineSession;
import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.TsPacketizer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What one session reads from: the alternate it plays, the engine slot and engine session it
 * holds, the playback stream it reads and that stream's read deadline. It owns the playback
 * stream, the engine session and the slot: it closes the stream, stops the engine session and
 * gives the slot back to the pool. The pump thread changes it; the tick, the teardown and the
 * status read it.
 */
final class Upstream {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");

    private final String key;
    private final List<ContentId> alternates;
    private final Map<String, String> parameters;
    private final EnginePool pool;
    private final Duration noDataTimeout;
    private final long startDeadline;
    // completed by the session on the first data; only read here
    private final CompletableFuture<Void> started;

    private volatile int altIndex;
    private volatile EnginePool.Slot slot;
    private volatile EngineSession engineSession;
    private volatile InputStream playback;
    private volatile TsPacketizer packetizer;
    private volatile long lastDataNanos;
    private volatile long readDeadline = Long.MAX_VALUE;
    private volatile boolean stalled;
    private volatile boolean stopping;

    Upstream(String key, List<ContentId> alternates, int firstAlternate, Map<String, String> parameters,
            EnginePool pool, Duration noDataTimeout, long startDeadline, CompletableFuture<Void> started) {
        this.key = key;
        this.alternates = alternates;
        this.altIndex = firstAlternate;
        this.parameters = parameters;
        this.pool = pool;
        this.noDataTimeout = noDataTimeout;
        this.startDeadline = startDeadline;
        this.started = started;
    }

    ContentId content() {
        return alternates.get(altIndex);
    }

    /** Moves to the next alternate, cycling back to the first after the last. */
    void nextAlternate() {
        altIndex = (altIndex + 1) % alternates.size();
    }

    /** When the first data is due: the read deadline of every playback opened before it came. */
    long startDeadline() {
        return startDeadline;
    }

    EnginePool.Slot slot() {
        return slot;
    }

    EngineSession engineSession() {
        return engineSession;
    }

    boolean hasEngineSession() {
        return engineSession != null;
    }

    TsPacketizer packetizer() {
        return packetizer;
    }

    // ---------------------------------------------------------------- stopping

    /** The session is ending: no playback is handed out from now on, and no statistics asked for. */
    void markStopping() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    // ---------------------------------------------------------------- connecting (pump thread)

    /**
     * Keeps the current engine unless it is unset, to be avoided, or unhealthy while another is
     * healthy; otherwise acquires another, leaving the engine session on the old one if the pool
     * chose a different engine.
     *
     * @param avoid engines that failed this recovery
     */
    void chooseEngine(Set<EnginePool.Slot> avoid) throws IOException, InterruptedException {
        EnginePool.Slot current = slot;
        if (current == null || avoid.contains(current) || (!pool.isHealthy(current) && pool.anyHealthy())) {
            EnginePool.Slot chosen = pool.acquire(avoid, started.isDone());
            if (current != null) {
                if (chosen != current) {
                    leaveEngineSession();
                }
                pool.release(current);
            }
            slot = chosen;
        }
    }

    /** Asks the chosen engine for a new engine session for the content. */
    void startEngineSession(ContentId alt) throws IOException, InterruptedException {
        engineSession = slot.client.startSession(alt, parameters);
    }

    /**
     * Opens the engine session's playback and reads its first packets. Until the first data the
     * read deadline is the start deadline; after it, the no-data timeout from now.
     *
     * @param alt the content, for the message
     * @throws WarmingUpException if the playback ended before its first whole packet
     * @throws InterruptedException if the session is stopping
     */
    Chunk openPlayback(ContentId alt) throws IOException, InterruptedException {
        EngineSession es = engineSession;
        InputStream in = slot.client.openPlayback(es);
        stalled = false;
        readDeadline = started.isDone()
                ? System.nanoTime() + noDataTimeout.toNanos()
                : startDeadline;
        playback = in;
        if (stopping) {
            closePlayback();
            throw new InterruptedException("session stopping");
        }
        TsPacketizer p = new TsPacketizer(in);
        Chunk first = p.next();
        if (first == null) {
            closePlayback();
            throw new WarmingUpException("the playback of " + alt + " ended before its first packet");
        }
        packetizer = p;
        return first;
    }

    /** Data came: the next read is due within the no-data timeout. */
    void dataArrived(long now) {
        lastDataNanos = now;
        readDeadline = now + noDataTimeout.toNanos();
    }

    long lastDataNanos() {
        return lastDataNanos;
    }

    /** Whether the tick closed the playback because its read deadline passed. */
    boolean stalled() {
        return stalled;
    }

    /**
     * Marks the open playback stalled if its read deadline passed; once per playback. Called by
     * the tick, which then closes the playback.
     *
     * @return whether it was marked now
     */
    boolean markStalledIfOverdue(long now) {
        if (playback != null && now - readDeadline >= 0 && !stalled) {
            stalled = true;
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- leaving

    /** Closes the playback stream, if one is open; any thread. */
    void closePlayback() {
        InputStream in = playback;
        playback = null;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "session " + key + ": closing the playback failed: " + e.getMessage());
            }
        }
    }

    /** Forgets the engine session and stops it on its engine; keeps the slot. */
    void leaveEngineSession() throws InterruptedException {
        EngineSession es = engineSession;
        EnginePool.Slot s = slot;
        engineSession = null;
        if (es != null && s != null) {
            stopEngineSession(s, es);
        }
    }

    /**
     * Stops the engine session (whether or not the stop call succeeds), then gives the slot back
     * to the pool; called by the teardown, after the pump ended.
     */
    void release() throws InterruptedException {
        EnginePool.Slot s = slot;
        EngineSession es = engineSession;
        if (es != null && s != null) {
            stopEngineSession(s, es);
        }
        if (s != null) {
            pool.release(s);
            slot = null;
        }
    }

    private void stopEngineSession(EnginePool.Slot s, EngineSession es) throws InterruptedException {
        try {
            s.client.stop(es);
        } catch (EngineException e) {
            LOG.log(Level.WARNING, () -> "session " + key + ": stopping the engine session on " + s + " failed: "
                    + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- statistics

    /**
     * The engine's statistics of the current engine session.
     *
     * @return null when there is no engine session or the session is stopping
     */
    EngineStats stats() throws EngineException, InterruptedException {
        EnginePool.Slot s = slot;
        EngineSession es = engineSession;
        if (s != null && es != null && !stopping) {
            return s.client.stats(es);
        }
        return null;
    }
}
