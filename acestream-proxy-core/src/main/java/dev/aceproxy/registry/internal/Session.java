package dev.aceproxy.registry.internal;

import dev.aceproxy.upstream.internal.RecoveryWait;
import dev.aceproxy.upstream.internal.UpstreamPump;
import dev.aceproxy.upstream.internal.Upstream;
import static dev.aceproxy.registry.SessionState.LINGERING;
import static dev.aceproxy.registry.SessionState.RECOVERING;
import static dev.aceproxy.registry.SessionState.STARTING;
import static dev.aceproxy.registry.SessionState.STOPPED;
import static dev.aceproxy.registry.SessionState.STREAMING;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.internal.FanOut;
import dev.aceproxy.fanout.internal.Player;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.SessionState;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.Subscription;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One registry session: one engine session for one content (or a channel's current alternate),
 * its clients and its lifecycle. The session owns the state machine and its lock; its
 * {@link Upstream} (what it reads), {@link UpstreamPump} (the pump thread) and
 * {@link SessionTick} (the periodic work) report to it through their {@code Owner} interfaces.
 * {@link SessionClients} keeps its subscribers' places under its lock, and
 * {@link SessionStatusView} assembles its status.
 * State changes go through {@link #transitionLocked} and the table in {@link SessionTransitions};
 * listener events are fired after the session's lock is released.
 */
public final class Session implements UpstreamPump.Owner, SessionTick.Owner {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");

    /** How long a teardown waits for the pump to end after interrupting it. */
    private static final Duration PUMP_JOIN = Duration.ofSeconds(2);
    /** How long a failed session's clients may drain what they have queued. */
    public static final Duration FAILED_DRAIN = Duration.ofMillis(500);

    private final SessionHost host;
    private final ContentClaims claims;
    private final RegistryTotals totals;
    private final RegistrySettings settings;
    private final SafeListener listener;
    private final RegistryThreads threads;
    public final String key;
    private final FanOut fanOut;
    private final Upstream upstream;
    private final UpstreamPump pump;
    private final SessionTick tick;
    private final SessionStatusView statusView;
    public final CompletableFuture<Void> started = new CompletableFuture<>();
    public final CompletableFuture<Void> teardownDone = new CompletableFuture<>();

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private SessionState state = STARTING;
    private final SessionClients clients;
    private boolean upstreamHealthy;

    private volatile SessionState currentState = STARTING;
    private volatile long lingerDeadline;
    private volatile String endDetail;
    /** A content subscribed directly, not a channel: it may give way to a session of its infohash. */
    private final boolean plainContent;
    /** The extra engine parameters the session was started with. */
    private final Map<String, String> parameters;

    Session(SessionHost host, ContentClaims claims, RegistryTotals totals, RegistrySettings settings, SafeListener listener, EnginePool pool,
            RegistryThreads threads, String key, List<ContentId> alternates, Optional<String> channel,
            Map<String, String> parameters, int firstAlternate) {
        this.host = host;
        this.claims = claims;
        this.totals = totals;
        this.settings = settings;
        this.listener = listener;
        this.threads = threads;
        this.key = key;
        this.plainContent = channel.isEmpty();
        this.parameters = Map.copyOf(parameters);
        this.clients = new SessionClients(totals);
        this.fanOut = new FanOut(settings.player(), settings.fastStart(), settings.coalesce());
        Instant startedAt = settings.clock().instant();
        long startDeadline = System.nanoTime() + settings.session().startTimeout().toNanos();
        this.upstream = new Upstream(key, alternates, firstAlternate, parameters, pool, threads,
                settings.session().noDataTimeout(), startDeadline, started);
        this.pump = new UpstreamPump(this, upstream, new RecoveryWait(pool), pool, settings, listener, fanOut, key,
                alternates.size(), started);
        this.tick = new SessionTick(this, pump, upstream, fanOut, threads, settings, key, started);
        this.statusView = new SessionStatusView(key, channel, startedAt, settings, upstream, pump, tick);
    }

    /** The extra engine parameters this session plays with; a subscriber must ask for the same. */
    public Map<String, String> parameters() {
        return parameters;
    }

    public ContentId content() {
        return upstream.content();
    }

    @Override
    public SessionState state() {
        return currentState;
    }

    public boolean isTerminal() {
        return currentState.isTerminal();
    }

    /** Starts the pump thread and the periodic tick; called once, by the table. */
    public void start(ScheduledExecutorService scheduler) {
        tick.start(scheduler);
        pump.start(threads);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Changes state through the table; the returned event is fired after the lock is released. */
    private Runnable transitionLocked(SessionState to, String reason) {
        SessionState from = state;
        state = SessionTransitions.transition(from, to);
        currentState = to;
        if (to == LINGERING) {
            lingerDeadline = System.nanoTime() + settings.session().linger().toNanos();
        }
        ContentId content = content();
        return () -> listener.sessionStateChanged(key, content, from, to, reason);
    }

    private static void fire(List<Runnable> events) {
        for (Runnable e : events) {
            e.run();
        }
    }

    /** Takes a place for a subscriber; a lingering session comes back. False if the session has ended. */
    public boolean reserve() {
        List<Runnable> events = new ArrayList<>(1);
        lock.lock();
        try {
            if (state.isTerminal()) {
                return false;
            }
            clients.reserve();
            if (state == LINGERING) {
                events.add(transitionLocked(upstreamHealthy ? STREAMING : RECOVERING, "client joined"));
            }
        } finally {
            lock.unlock();
        }
        fire(events);
        return true;
    }

    /** The engine the session plays from now; null between engines. */
    public EnginePool.Slot engine() {
        return upstream.slot();
    }

    /**
     * Tells the session that an engine was taken out: if it plays there, its pump reads the
     * stream now rather than after its pause, so that a stream that died with the engine is seen
     * as lost before a joiner is let in on the strength of it.
     *
     * @param slot the engine taken out
     */
    public void engineTakenOut(EnginePool.Slot slot) {
        if (upstream.slot() == slot) {
            pump.lookNow();
        }
    }

    /** Whether the upstream delivers data now: started, and not recovering. */
    public boolean hasFlowingUpstream() {
        lock.lock();
        try {
            return upstreamHealthy && !state.isTerminal();
        } finally {
            lock.unlock();
        }
    }

    public int reserved() {
        lock.lock();
        try {
            return clients.reserved();
        } finally {
            lock.unlock();
        }
    }

    /** A waiting subscriber gave up before attaching. */
    public void unreserve() {
        List<Runnable> events = new ArrayList<>(1);
        lock.lock();
        try {
            if (state.isTerminal()) {
                return;
            }
            releaseLocked(events, "last client left");
        } finally {
            lock.unlock();
        }
        fire(events);
    }

    private void releaseLocked(List<Runnable> events, String reason) {
        if (clients.release() && (state == STREAMING || state == RECOVERING)) {
            events.add(transitionLocked(LINGERING, reason));
            if (settings.session().linger().isZero()) {
                // No linger: the session ends now, not at its next tick (after the lock is released).
                events.add(() -> host.lingerExpired(this));
            }
        }
    }

    /**
     * Waits for the first data.
     *
     * @throws IOException the start failure
     * @throws IllegalStateException if the registry shut down meanwhile
     */
    public void awaitStarted() throws IOException, InterruptedException {
        try {
            started.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("session " + key + " failed to start", cause);
        }
    }

    /** adds the client's player; null if the session ended before (the caller starts a fresh one). */
    public Subscription attach(ClientSink sink, ClientInfo info, long clientId) {
        Player w;
        lock.lock();
        try {
            if (state.isTerminal()) {
                return null;
            }
            w = fanOut.add(sink);
            clients.attach(new SessionClients.Client(clientId, info, w, settings.clock().instant()));
        } finally {
            lock.unlock();
        }
        listener.clientJoined(key, clientId);
        ActiveSubscription sub = new ActiveSubscription(clientId, this, w);
        w.ended().whenComplete((reason, failure) ->
                clientEnded(clientId, reason == null ? EndReason.CLIENT_FAILED : reason, sub));
        return sub;
    }

    private void clientEnded(long clientId, EndReason reason, ActiveSubscription sub) {
        List<Runnable> events = new ArrayList<>(1);
        SessionClients.Client c;
        lock.lock();
        try {
            c = clients.detach(clientId);
            if (c == null) {
                return;
            }
            if (!state.isTerminal()) {
                releaseLocked(events, "last client left");
            }
        } finally {
            lock.unlock();
        }
        totals.clientEnded(c.player().stats(), reason);
        fire(events);
        StreamEnd end = endFor(reason);
        listener.clientLeft(key, clientId, end);
        sub.complete(end);
    }

    public StreamEnd endFor(EndReason reason) {
        String detail = switch (reason) {
            case STREAM_FAILED, STREAM_ENDED, SHUTDOWN -> endDetail;
            default -> null;
        };
        return new StreamEnd(reason, Optional.ofNullable(detail));
    }

    /**
     * Ends the session (the table holds its lock and removes the session from its map). Waiting
     * subscribers get {@code failure}.
     *
     * @return false if it had ended already
     */
    public boolean terminate(SessionState to, String reason, Throwable failure) {
        List<Runnable> events = new ArrayList<>(1);
        lock.lock();
        try {
            if (state.isTerminal()) {
                return false;
            }
            endDetail = reason;
            upstream.markStopping();
            events.add(transitionLocked(to, reason));
            clients.releaseAll();
        } finally {
            lock.unlock();
        }
        fire(events);
        started.completeExceptionally(failure);
        return true;
    }

    /**
     * Ends the session if it is still starting and no subscriber waits for it any more: its last
     * waiting player left, so the engine session would only be held for nobody (until the start
     * timeout, then the linger). The table holds its lock.
     *
     * @return true if the session was ended here
     */
    public boolean abandonIfNobodyWaits() {
        lock.lock();
        try {
            if (state != STARTING || clients.reserved() > 0) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        return terminate(STOPPED, "start abandoned: its last waiting player left",
                new IllegalStateException("session start abandoned"));
    }

    /** Expires the session if it still lingers past its deadline; the table holds its lock. */
    public boolean expireIfDue() {
        lock.lock();
        try {
            if (state != LINGERING || clients.reserved() > 0 || System.nanoTime() - lingerDeadline < 0) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        return terminate(STOPPED, "linger expired", new IllegalStateException("session ended"));
    }

    public boolean isLingering() {
        return currentState == LINGERING;
    }

    /**
     * Stops everything the session owns: the pump, the clients' writers, the playback connection
     * and the engine session (whether or not the stop call succeeds). Runs once, after
     * {@link #terminate}.
     */
    public void teardown(EndReason reason, Duration drain) {
        try {
            tick.cancel();
            Thread p = pump.thread();
            boolean onPump = p == Thread.currentThread();
            if (p != null && !onPump) {
                p.interrupt();
            }
            upstream.closePlayback();
            fanOut.close(reason, drain);
            if (p != null && !onPump) {
                try {
                    p.join(PUMP_JOIN);
                } finally {
                    // stops the engine session even when this wait is interrupted (shutdown's deadline)
                    upstream.release();
                }
            } else {
                upstream.release();
            }
            LOG.log(Level.INFO, () -> "session " + key + " " + currentState.name().toLowerCase(java.util.Locale.ROOT)
                    + " (" + endDetail + "), " + pump.bytesIn() + " bytes in, " + pump.reconnects() + " reconnects, "
                    + pump.failovers() + " failovers");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            host.tornDown(this, pump.bytesIn());
            teardownDone.complete(null);
        }
    }


    // ---------------------------------------------------------------- reported by the pump and the tick

    @Override
    public void upstreamFlowing() {
        List<Runnable> events = new ArrayList<>(1);
        lock.lock();
        try {
            upstreamHealthy = true;
            if (state == STARTING) {
                events.add(transitionLocked(clients.reserved() > 0 ? STREAMING : LINGERING, "first data"));
            } else if (state == RECOVERING) {
                events.add(transitionLocked(STREAMING, "upstream recovered"));
            }
        } finally {
            lock.unlock();
        }
        fire(events);
        started.complete(null);
    }

    @Override
    public void upstreamLost(String why) {
        List<Runnable> events = new ArrayList<>(1);
        lock.lock();
        try {
            upstreamHealthy = false;
            if (state == STREAMING) {
                events.add(transitionLocked(RECOVERING, why));
            }
        } finally {
            lock.unlock();
        }
        fire(events);
    }

    @Override
    public boolean hasPlayers() {
        lock.lock();
        try {
            return clients.reserved() > 0;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void upstreamFailed(IOException failure) {
        host.failed(this, failure);
    }

    @Override
    public boolean claim(ContentId content) throws InterruptedException {
        return claims.claim(this, content);
    }

    @Override
    public boolean claimInfohash(ContentId content, String infohash) {
        return claims.claimInfohash(this, content, infohash, plainContent && !started.isDone());
    }

    @Override
    public void releaseClaim(ContentId content) {
        claims.release(this, content);
    }

    @Override
    public void reconnected() {
        totals.reconnected();
    }

    @Override
    public void failedOver() {
        totals.failedOver();
    }

    @Override
    public long lingerDeadline() {
        return lingerDeadline;
    }

    @Override
    public void lingerExpired() {
        host.lingerExpired(this);
    }

    // ---------------------------------------------------------------- status

    public SessionStatus status() {
        List<SessionClients.Client> copy;
        SessionState st;
        lock.lock();
        try {
            copy = clients.copy();
            st = state;
        } finally {
            lock.unlock();
        }
        return statusView.status(st, SessionClients.statuses(copy));
    }

    /** Bytes written to and skipped for the clients attached now. */
    public long[] liveClientBytes() {
        List<SessionClients.Client> copy;
        lock.lock();
        try {
            copy = clients.copy();
        } finally {
            lock.unlock();
        }
        return SessionClients.bytes(copy);
    }

    public long bytesIn() {
        return pump.bytesIn();
    }

    @Override
    public String toString() {
        return "Session[" + key + ", " + currentState + "]";
    }
}
