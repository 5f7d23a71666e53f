package dev.aceproxy.registry.internal;

import dev.aceproxy.upstream.internal.EngineFault;
import dev.aceproxy.upstream.internal.UpstreamPump;
import dev.aceproxy.upstream.internal.Upstream;
import static dev.aceproxy.registry.SessionState.LINGERING;
import static dev.aceproxy.registry.SessionState.STARTING;

import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.EngineSession;
import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.fanout.internal.FanOut;
import dev.aceproxy.registry.SessionState;
import dev.aceproxy.ts.TsPackets;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One session's periodic work on the registry's scheduler thread: ends a start that waited past
 * its deadline, checks a read that did (keeping it while the engine says it is buffering), writes
 * keepalive null packets while no data comes, expires a lingering session, polls the engine's
 * statistics and samples the input bitrate. It never blocks the scheduler: whatever may block
 * runs on a session task thread.
 */
final class SessionTick {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");

    /** Null packets per keepalive: one small write per interval keeps players' read timers happy. */
    static final int KEEPALIVE_PACKETS = 7;

    /** What the tick needs from the session it watches. */
    interface Owner {

        /** The session's current state. */
        SessionState state();

        /** When a lingering session expires, in {@link System#nanoTime()} terms. */
        long lingerDeadline();

        /** The linger deadline passed: the session asks the table to expire it (must not block). */
        void lingerExpired();
    }

    private final Owner owner;
    private final UpstreamPump pump;
    private final Upstream upstream;
    private final FanOut fanOut;
    private final RegistryThreads threads;
    private final RegistrySettings settings;
    private final String key;
    // completed by the session on the first data; only read here
    private final CompletableFuture<Void> started;

    private volatile ScheduledFuture<?> future;
    private volatile EngineStats lastStats;
    private final AtomicBoolean statsInFlight = new AtomicBoolean();
    private final AtomicBoolean stallCheckInFlight = new AtomicBoolean();
    private volatile long bitrate;
    /** When a silent playback's stat last said the engine was buffering; 0 when it never did. */
    private volatile long bufferingSeenNanos;

    // touched by the scheduler's tick only
    private long lastKeepalive;
    private long nextStats;
    private long rateSampleAt;
    private long rateSampleBytes;

    SessionTick(Owner owner, UpstreamPump pump, Upstream upstream, FanOut fanOut,
            RegistryThreads threads, RegistrySettings settings, String key, CompletableFuture<Void> started) {
        this.owner = owner;
        this.pump = pump;
        this.upstream = upstream;
        this.fanOut = fanOut;
        this.threads = threads;
        this.settings = settings;
        this.key = key;
        this.started = started;
    }

    /** Schedules the tick; called once. */
    void start(ScheduledExecutorService scheduler) {
        long period = periodNanos();
        future = scheduler.scheduleAtFixedRate(this::tickSafely, period, period, TimeUnit.NANOSECONDS);
    }

    /** Stops the ticks to come; a tick running now finishes. */
    void cancel() {
        ScheduledFuture<?> f = future;
        if (f != null) {
            f.cancel(false);
        }
    }

    /** The input bitrate in bits per second, averaged over roughly the last three seconds. */
    long bitrate() {
        return bitrate;
    }

    /** The engine's last statistics; null until the first poll answered. */
    EngineStats lastStats() {
        return lastStats;
    }

    private long periodNanos() {
        var p = settings.session();
        long shortest = Math.min(Math.min(p.keepaliveAfter().toNanos(), p.keepaliveInterval().toNanos()),
                Math.min(p.noDataTimeout().toNanos(), p.statsInterval().toNanos()));
        if (!p.linger().isZero()) {
            shortest = Math.min(shortest, p.linger().toNanos());
        }
        // A quarter of the shortest timing keeps every deadline within 25 % of its value, and
        // 10..250 ms keeps the single scheduler thread cheap with many sessions.
        return Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.MILLISECONDS.toNanos(250), shortest / 4));
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session " + key + ": health check failed", e);
        }
    }

    private void tick() {
        SessionState st = owner.state();
        if (st.isTerminal()) {
            return;
        }
        long now = System.nanoTime();
        if (st == STARTING) {
            if (now - upstream.startDeadline() >= 0 && !started.isDone() && pump.timeOutStart()) {
                abortUpstream(true);
            }
            return;
        }
        long deadline = upstream.readDeadline();
        InputStream overdue = upstream.overduePlayback(deadline, now);
        if (overdue != null && stallCheckInFlight.compareAndSet(false, true)) {
            threads.startTask(() -> checkStall(overdue, deadline));
        }
        var p = settings.session();
        if (now - upstream.lastDataNanos() >= p.keepaliveAfter().toNanos()
                && now - lastKeepalive >= p.keepaliveInterval().toNanos()
                && fanOut.playerCount() > 0) {
            fanOut.writeKeepalive(TsPackets.nullPackets(KEEPALIVE_PACKETS));
            lastKeepalive = now;
        }
        if (st == LINGERING && now - owner.lingerDeadline() >= 0) {
            owner.lingerExpired();
            return;
        }
        if (fanOut.playerCount() > 0 && upstream.hasEngineSession() && now - nextStats >= 0
                && statsInFlight.compareAndSet(false, true)) {
            nextStats = now + p.statsInterval().toNanos();
            threads.startTask(this::pollStats);
        }
        if (now - rateSampleAt >= TimeUnit.SECONDS.toNanos(1)) {
            long bytes = pump.bytesIn();
            if (rateSampleAt != 0) {
                double seconds = (now - rateSampleAt) / 1e9;
                long rate = (long) ((bytes - rateSampleBytes) * 8 / seconds);
                long previous = bitrate;
                // exponential moving average over roughly the last three seconds
                bitrate = previous == 0 ? rate : (long) (previous * 0.7 + rate * 0.3);
            }
            rateSampleAt = now;
            rateSampleBytes = bytes;
        }
    }

    /** Unblocks the pump from the scheduler thread without blocking it. */
    private void abortUpstream(boolean interruptPump) {
        threads.startTask(() -> {
            if (interruptPump) {
                Thread p = pump.thread();
                if (p != null) {
                    p.interrupt();
                }
            }
            upstream.closePlayback();
        });
    }

    /**
     * The playback {@code in} has been silent past its read deadline (session task thread). The
     * engine's stat url decides: while it says it is buffering ({@code buf}, {@code prebuf}) the
     * connection is kept, since data resumes on it the moment the engine has some, and asked again
     * after {@code statsInterval}; a buffering silence longer than the no-data timeout plus the
     * start timeout ends anyway. An engine that has just stopped buffering gets the no-data
     * timeout to deliver its first bytes on the same connection. Otherwise (another status, no
     * answer, no session) the playback is closed, which ends the pump's read and starts the
     * recovery.
     */
    private void checkStall(InputStream in, long deadline) {
        try {
            var p = settings.session();
            EngineSession session = upstream.engineSession();
            EngineStats stats = null;
            try {
                stats = upstream.stats();
            } catch (EngineException e) {
                if (session != null && EngineFault.of(e) == EngineFault.SESSION_GONE) {
                    upstream.engineForgot(session);
                }
                LOG.log(Level.DEBUG, () -> "session " + key + ": stats of a silent upstream failed: " + e.getMessage());
            }
            long now = System.nanoTime();
            long silence = now - upstream.lastDataNanos();
            if (stats != null) {
                lastStats = stats;
                boolean buffering = isBuffering(stats.status());
                if (buffering) {
                    bufferingSeenNanos = now;
                }
                long sinceBuffering = now - bufferingSeenNanos;
                boolean justBuffered = bufferingSeenNanos != 0 && sinceBuffering < p.noDataTimeout().toNanos();
                if ((buffering || justBuffered)
                        && silence < p.noDataTimeout().plus(p.startTimeout()).toNanos()
                        && upstream.extendReadDeadline(in, deadline, now + p.statsInterval().toNanos())) {
                    LOG.log(Level.DEBUG, () -> "session " + key + ": silent for " + silence / 1_000_000
                            + " ms, the engine is buffering: keeping the playback open");
                    return;
                }
            }
            upstream.closeStalled(in);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stallCheckInFlight.set(false);
        }
    }

    private static boolean isBuffering(String status) {
        return status.equalsIgnoreCase("buf") || status.equalsIgnoreCase("prebuf");
    }

    private void pollStats() {
        try {
            EngineStats stats = upstream.stats();
            if (stats != null) {
                lastStats = stats;
            }
        } catch (EngineException e) {
            LOG.log(Level.DEBUG, () -> "session " + key + ": stats failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            statsInFlight.set(false);
        }
    }
}
