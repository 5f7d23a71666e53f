package dev.aceproxy.upstream.internal;

import dev.aceproxy.registry.internal.RegistryThreads;
import dev.aceproxy.registry.internal.EnginePool;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.EngineSession;
import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.internal.TsPacketizer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one session reads from: the alternate it plays, the engine slot it uses, the engine
 * session it holds (through its {@link EngineSessionHolder}), the playback stream it reads and
 * that stream's read deadline. It owns the playback stream and the slot: it closes the stream,
 * has the holder stop the engine session, and gives the slot back to the pool. The pump thread
 * changes it; the tick, the teardown and the status read it.
 */
public final class Upstream {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");

    private final String key;
    private final List<ContentId> alternates;
    private final Map<String, String> parameters;
    private final EnginePool pool;
    private final EngineSessionHolder sessions;
    private final Duration noDataTimeout;
    private final long startDeadline;
    // completed by the session on the first data; only read here
    private final CompletableFuture<Void> started;

    private volatile int altIndex;
    private volatile EnginePool.Slot slot;
    private volatile InputStream playback;
    private volatile TsPacketizer packetizer;
    private volatile long lastDataNanos;
    private final AtomicLong readDeadline = new AtomicLong(Long.MAX_VALUE);
    private volatile boolean stalled;
    private volatile boolean stopping;

    public Upstream(String key, List<ContentId> alternates, int firstAlternate, Map<String, String> parameters,
            EnginePool pool, RegistryThreads threads, Duration noDataTimeout, long startDeadline,
            CompletableFuture<Void> started) {
        this.key = key;
        this.alternates = alternates;
        this.altIndex = firstAlternate;
        this.parameters = parameters;
        this.pool = pool;
        this.sessions = new EngineSessionHolder(key, threads);
        this.noDataTimeout = noDataTimeout;
        this.startDeadline = startDeadline;
        this.started = started;
    }

    public ContentId content() {
        return alternates.get(altIndex);
    }

    /** Moves to the next alternate, cycling back to the first after the last. */
    public void nextAlternate() {
        altIndex = (altIndex + 1) % alternates.size();
    }

    /** When the first data is due: the read deadline of every playback opened before it came. */
    public long startDeadline() {
        return startDeadline;
    }

    public EnginePool.Slot slot() {
        return slot;
    }

    public EngineSession engineSession() {
        return sessions.session();
    }

    public boolean hasEngineSession() {
        return sessions.session() != null;
    }

    public TsPacketizer packetizer() {
        return packetizer;
    }

    // ---------------------------------------------------------------- stopping

    /** The session is ending: no playback is handed out from now on, and no statistics asked for. */
    public void markStopping() {
        stopping = true;
    }

    public boolean stopping() {
        return stopping;
    }

    // ---------------------------------------------------------------- connecting (pump thread)

    /**
     * Keeps the current engine unless it is unset, to be avoided, or unhealthy while another is
     * healthy; otherwise acquires another. The session held on the old engine is stopped by the
     * next {@link #startEngineSession}, before the new engine is asked.
     *
     * @param avoid engines that failed this recovery
     */
    public void chooseEngine(Set<EnginePool.Slot> avoid) throws IOException, InterruptedException {
        EnginePool.Slot current = slot;
        if (current == null || avoid.contains(current) || (!pool.isHealthy(current) && pool.anyHealthy())) {
            EnginePool.Slot chosen = pool.acquire(avoid, started.isDone());
            if (current != null) {
                pool.release(current);
            }
            slot = chosen;
        }
    }

    /**
     * Closes the playback and stops the engine session held now, then asks the chosen engine for a
     * new engine session for the content.
     */
    public void startEngineSession(ContentId alt) throws IOException, InterruptedException {
        closePlayback();
        sessions.start(slot, alt, parameters);
        if (stopping) {
            throw new InterruptedException("session stopping");
        }
    }

    /**
     * Opens the engine session's playback and reads its first packets. Until the first data the
     * read deadline is the start deadline; after it, the no-data timeout from now. When the engine
     * refuses the connection or no longer knows the session, the session is dropped without a
     * stop call (the engine forgot it).
     *
     * @param alt the content, for the message
     * @throws WarmingUpException if the playback ended before its first whole packet
     * @throws InterruptedException if the session is stopping
     */
    public Chunk openPlayback(ContentId alt) throws IOException, InterruptedException {
        EngineSessionHolder.Held held = sessions.held();
        if (held == null) {
            throw new IllegalStateException("no engine session to play");
        }
        InputStream in;
        try {
            in = held.slot().client().openPlayback(held.session());
        } catch (EngineException e) {
            if (EngineFault.of(e) != EngineFault.OTHER) {
                sessions.forget(held.session());
            }
            throw e;
        }
        stalled = false;
        readDeadline.set(started.isDone()
                ? System.nanoTime() + noDataTimeout.toNanos()
                : startDeadline);
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
    public void dataArrived(long now) {
        lastDataNanos = now;
        readDeadline.set(now + noDataTimeout.toNanos());
    }

    /**
     * The pump holds back its reads while every client is backed up: the engine is not silent, its
     * data waits in the socket, so the no-data deadline and the keepalive clock start afresh.
     */
    public void holdingBack(long now) {
        dataArrived(now);
    }

    public long lastDataNanos() {
        return lastDataNanos;
    }

    /** Whether the tick closed the playback because its read deadline passed. */
    public boolean stalled() {
        return stalled;
    }

    /** When the next data of the open playback is due, in {@link System#nanoTime()} terms. */
    public long readDeadline() {
        return readDeadline.get();
    }

    /**
     * The playback open now if its read deadline {@code deadline} passed and it is not marked
     * stalled yet.
     *
     * @return that playback, or null
     */
    public InputStream overduePlayback(long deadline, long now) {
        InputStream in = playback;
        return in != null && now - deadline >= 0 && !stalled ? in : null;
    }

    /**
     * The engine says it is buffering: the playback {@code in} may stay silent until {@code until}.
     *
     * @param seen the overdue deadline the decision was made on
     * @return false if {@code in} is no longer the open playback or data came meanwhile
     */
    public boolean extendReadDeadline(InputStream in, long seen, long until) {
        return playback == in && readDeadline.compareAndSet(seen, until);
    }

    /**
     * Marks the playback {@code in} stalled and closes it, which ends the pump's blocked read.
     *
     * @return false if {@code in} is no longer the open playback, was marked already, or data came
     *     meanwhile
     */
    public boolean closeStalled(InputStream in) {
        if (playback != in || stalled || System.nanoTime() - readDeadline.get() < 0) {
            return false;
        }
        stalled = true;
        closePlayback();
        return true;
    }

    /** The engine answered that it does not know the engine session: drop it without a stop call. */
    public void engineForgot(EngineSession session) {
        sessions.forget(session);
    }

    // ---------------------------------------------------------------- leaving

    /** Closes the playback stream, if one is open; any thread. */
    public void closePlayback() {
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

    /** Closes the playback and stops the engine session (waiting for the stop); keeps the slot. */
    public void leaveEngineSession() throws InterruptedException {
        closePlayback();
        sessions.leave();
    }

    /**
     * Stops the engine session (whether or not the stop call succeeds) once calls in flight have
     * ended, then gives the slot back to the pool; called by the teardown, after the pump ended.
     */
    public void release() {
        closePlayback();
        try {
            sessions.release();
        } finally {
            EnginePool.Slot s = slot;
            if (s != null) {
                pool.release(s);
                slot = null;
            }
        }
    }

    // ---------------------------------------------------------------- statistics

    /**
     * The engine's statistics of the current engine session.
     *
     * @return null when there is no engine session or the session is stopping
     */
    public EngineStats stats() throws EngineException, InterruptedException {
        EngineSessionHolder.Held held = sessions.held();
        if (held != null && !stopping) {
            return held.slot().client().stats(held.session());
        }
        return null;
    }
}
