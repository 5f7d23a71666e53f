package dev.aceproxy.registry.internal;

import static dev.aceproxy.registry.SessionState.LINGERING;
import static dev.aceproxy.registry.SessionState.RECOVERING;
import static dev.aceproxy.registry.SessionState.STARTING;
import static dev.aceproxy.registry.SessionState.STOPPED;
import static dev.aceproxy.registry.SessionState.STREAMING;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.EngineSession;
import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.fanout.ParallelMultiWriter;
import dev.aceproxy.fanout.Writer;
import dev.aceproxy.fanout.WriterStats;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.ClientStatus;
import dev.aceproxy.registry.SessionState;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.Subscription;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.TsPacketizer;
import dev.aceproxy.ts.TsPackets;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One registry session: one engine session for one content (or a channel's current alternate),
 * its pump thread, its fan-out, its clients and its lifecycle. State changes go through
 * {@link #transitionLocked} and the table in {@link SessionTransitions}; listener events are
 * fired after the session's lock is released.
 */
final class Session {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");

    /** Null packets per keepalive: one small write per interval keeps players' read timers happy. */
    static final int KEEPALIVE_PACKETS = 7;
    /** How long a teardown waits for the pump to end after interrupting it. */
    private static final Duration PUMP_JOIN = Duration.ofSeconds(2);
    /** How long a failed session's clients may drain what they have queued. */
    private static final Duration FAILED_DRAIN = Duration.ofMillis(500);

    private final SessionTable table;
    private final RegistrySettings settings;
    private final SafeListener listener;
    private final EnginePool pool;
    private final RegistryThreads threads;
    final String key;
    private final List<ContentId> alternates;
    private final Optional<String> channel;
    private final Map<String, String> parameters;
    private final ParallelMultiWriter writer;
    private final Instant startedAt;
    private final long startDeadline;
    private final SplittableRandom random = new SplittableRandom();
    final CompletableFuture<Void> started = new CompletableFuture<>();
    final CompletableFuture<Void> teardownDone = new CompletableFuture<>();

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private SessionState state = STARTING;
    private int reserved;
    private final Map<Long, Client> clients = new LinkedHashMap<>();
    private boolean upstreamHealthy;

    private volatile SessionState currentState = STARTING;
    private volatile long lingerDeadline;
    private volatile int altIndex;
    private volatile EnginePool.Slot slot;
    private volatile EngineSession engineSession;
    private volatile InputStream playback;
    private volatile TsPacketizer packetizer;
    private volatile long lastDataNanos;
    private volatile long readDeadline = Long.MAX_VALUE;
    private volatile boolean flowing;
    private volatile boolean stalled;
    private volatile boolean startTimedOut;
    private volatile boolean stopping;
    private volatile String endDetail;
    private volatile Thread pump;
    private volatile ScheduledFuture<?> tick;
    private volatile EngineStats lastStats;
    private final AtomicBoolean statsInFlight = new AtomicBoolean();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicInteger reconnects = new AtomicInteger();
    private final AtomicInteger failovers = new AtomicInteger();
    private final Set<ContentId> claimed = new HashSet<>();

    // touched by the scheduler's tick only
    private long lastKeepalive;
    private long nextStats;
    private long rateSampleAt;
    private long rateSampleBytes;
    private volatile long bitrate;

    /** A client attached to the session. */
    private record Client(long id, ClientInfo info, Writer writer, Instant connectedSince) {
    }

    Session(SessionTable table, RegistrySettings settings, SafeListener listener, EnginePool pool,
            RegistryThreads threads, String key, List<ContentId> alternates, Optional<String> channel,
            Map<String, String> parameters, int firstAlternate) {
        this.table = table;
        this.settings = settings;
        this.listener = listener;
        this.pool = pool;
        this.threads = threads;
        this.key = key;
        this.alternates = alternates;
        this.channel = channel;
        this.parameters = parameters;
        this.altIndex = firstAlternate;
        this.writer = new ParallelMultiWriter(settings.writer(), settings.fastStart(), settings.coalesce());
        this.startedAt = settings.clock().instant();
        this.startDeadline = System.nanoTime() + settings.session().startTimeout().toNanos();
    }

    ContentId content() {
        return alternates.get(altIndex);
    }

    List<ContentId> alternates() {
        return alternates;
    }

    SessionState state() {
        return currentState;
    }

    boolean isTerminal() {
        return currentState.isTerminal();
    }

    /** Starts the pump thread and the periodic tick; called once, by the table. */
    void start(java.util.concurrent.ScheduledExecutorService scheduler) {
        long period = tickPeriodNanos();
        tick = scheduler.scheduleAtFixedRate(this::tickSafely, period, period, TimeUnit.NANOSECONDS);
        pump = threads.startPump(this::pump);
    }

    private long tickPeriodNanos() {
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
    boolean reserve() {
        List<Runnable> events = new ArrayList<>(1);
        lock.lock();
        try {
            if (state.isTerminal()) {
                return false;
            }
            reserved++;
            table.clientCountDelta(1);
            if (state == LINGERING) {
                events.add(transitionLocked(upstreamHealthy ? STREAMING : RECOVERING, "client joined"));
            }
        } finally {
            lock.unlock();
        }
        fire(events);
        return true;
    }

    int reserved() {
        lock.lock();
        try {
            return reserved;
        } finally {
            lock.unlock();
        }
    }

    /** A waiting subscriber gave up before attaching. */
    void unreserve() {
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
        reserved--;
        table.clientCountDelta(-1);
        if (reserved == 0 && (state == STREAMING || state == RECOVERING)) {
            events.add(transitionLocked(LINGERING, reason));
        }
    }

    /**
     * Waits for the first data.
     *
     * @throws IOException the start failure
     * @throws IllegalStateException if the registry shut down meanwhile
     */
    void awaitStarted() throws IOException, InterruptedException {
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

    /** Adds the client's writer; null if the session ended before (the caller starts a fresh one). */
    Subscription attach(ClientSink sink, ClientInfo info, long clientId) {
        Writer w;
        lock.lock();
        try {
            if (state.isTerminal()) {
                return null;
            }
            w = writer.add(sink);
            clients.put(clientId, new Client(clientId, info, w, settings.clock().instant()));
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
        Client c;
        lock.lock();
        try {
            c = clients.remove(clientId);
            if (c == null) {
                return;
            }
            if (!state.isTerminal()) {
                releaseLocked(events, "last client left");
            }
        } finally {
            lock.unlock();
        }
        table.clientEnded(c.writer().stats(), reason);
        fire(events);
        StreamEnd end = endFor(reason);
        listener.clientLeft(key, clientId, end);
        sub.complete(end);
    }

    StreamEnd endFor(EndReason reason) {
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
    boolean terminate(SessionState to, String reason, Throwable failure) {
        List<Runnable> events = new ArrayList<>(1);
        lock.lock();
        try {
            if (state.isTerminal()) {
                return false;
            }
            endDetail = reason;
            stopping = true;
            events.add(transitionLocked(to, reason));
            table.clientCountDelta(-reserved);
            reserved = 0;
        } finally {
            lock.unlock();
        }
        fire(events);
        started.completeExceptionally(failure);
        return true;
    }

    /** Expires the session if it still lingers past its deadline; the table holds its lock. */
    boolean expireIfDue() {
        lock.lock();
        try {
            if (state != LINGERING || reserved > 0 || System.nanoTime() - lingerDeadline < 0) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        return terminate(STOPPED, "linger expired", new IllegalStateException("session ended"));
    }

    boolean isLingering() {
        return currentState == LINGERING;
    }

    /**
     * Stops everything the session owns: the pump, the clients' writers, the playback connection
     * and the engine session (whether or not the stop call succeeds). Runs once, after
     * {@link #terminate}.
     */
    void teardown(EndReason reason, Duration drain) {
        try {
            ScheduledFuture<?> t = tick;
            if (t != null) {
                t.cancel(false);
            }
            Thread p = pump;
            boolean onPump = p == Thread.currentThread();
            if (p != null && !onPump) {
                p.interrupt();
            }
            closePlayback();
            writer.close(reason, drain);
            if (p != null && !onPump) {
                p.join(PUMP_JOIN);
            }
            closePlayback();
            EnginePool.Slot s = slot;
            EngineSession es = engineSession;
            if (es != null && s != null) {
                stopEngineSession(s, es);
            }
            if (s != null) {
                pool.release(s);
                slot = null;
            }
            LOG.log(Level.INFO, () -> "session " + key + " " + currentState.name().toLowerCase(java.util.Locale.ROOT)
                    + " (" + endDetail + "), " + bytesIn.get() + " bytes in, " + reconnects.get() + " reconnects, "
                    + failovers.get() + " failovers");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            table.teardownFinished(this, bytesIn.get(), claimedSnapshot());
            teardownDone.complete(null);
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

    private Set<ContentId> claimedSnapshot() {
        synchronized (claimed) {
            return Set.copyOf(claimed);
        }
    }

    void addClaim(ContentId c) {
        synchronized (claimed) {
            claimed.add(c);
        }
    }

    void removeClaim(ContentId c) {
        synchronized (claimed) {
            claimed.remove(c);
        }
    }

    // ---------------------------------------------------------------- pump

    private void pump() {
        IOException failure = null;
        try {
            Chunk first = startUpstream();
            onData(first);
            LOG.log(Level.INFO, () -> "session " + key + " started: " + content() + " on engine " + slot
                    + " (infohash " + engineSession.infohash() + ")");
            RecoveryLadder ladder = new RecoveryLadder(settings.retry());
            long streamingSince = settings.clock().millis();
            while (true) {
                String loss = streamUntilLoss();
                if (stopping) {
                    return;
                }
                if (settings.clock().millis() - streamingSince >= settings.retry().resetAfter().toMillis()) {
                    ladder.reset();
                }
                upstreamLost(loss);
                Chunk c = recover(ladder, loss);
                writer.upstreamRestarted();
                onData(c);
                streamingSince = settings.clock().millis();
                LOG.log(Level.INFO, () -> "session " + key + " recovered: " + content() + " on engine " + slot);
            }
        } catch (InterruptedException e) {
            failure = timeoutOrNull();
        } catch (IOException e) {
            failure = stopping ? null : e;
            if (failure != null && startTimedOut && !started.isDone()) {
                failure = timeoutOrNull();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session " + key + ": pump failed", e);
            failure = new IOException("session " + key + " failed: " + e, e);
        } finally {
            closePlayback();
        }
        if (failure != null && !stopping) {
            table.fail(this, failure);
        }
    }

    private IOException timeoutOrNull() {
        if (startTimedOut && !stopping) {
            return new EngineTimeoutException("no data from the engine within "
                    + settings.session().startTimeout().toMillis() + " ms for " + content());
        }
        return null;
    }

    /** STARTING: asks for an engine session and waits for its first data, within the start timeout. */
    private Chunk startUpstream() throws IOException, InterruptedException {
        int failures = 0;
        int retries = 0;
        int alternatesTried = 1;
        Set<EnginePool.Slot> avoid = new HashSet<>();
        while (true) {
            ContentId alt = content();
            try {
                return connect(alt, true, avoid);
            } catch (ContentUnavailableException e) {
                if (alternatesTried >= alternates.size()) {
                    throw e;
                }
                alternatesTried++;
                moveToNextAlternate("start: " + e.getMessage());
                continue;
            } catch (WarmingUpException e) {
                // prebuffering: retried until the start timeout, not counted as a failure
                LOG.log(Level.DEBUG, () -> "session " + key + ": " + e.getMessage());
            } catch (EngineUnavailableException e) {
                EnginePool.Slot s = slot;
                if (s != null) {
                    avoid.add(s);
                }
                if (++failures >= settings.retry().maxAttempts()) {
                    throw e;
                }
            } catch (IOException e) {
                if (stopping || ++failures >= settings.retry().maxAttempts()) {
                    throw e;
                }
            }
            Thread.sleep(settings.retry().backoff(++retries, random));
        }
    }

    /** Reads and fans out until the upstream ends, fails or stalls; returns why it was lost. */
    private String streamUntilLoss() throws InterruptedException {
        TsPacketizer p = packetizer;
        CoalescePolicy coalesce = settings.coalesce();
        long smallRead = coalesce.targetBytes() / 2;
        Duration pause = coalesce.maxDelay().dividedBy(2);
        try {
            while (true) {
                Chunk c = p.next();
                if (c == null) {
                    return "the engine ended the stream";
                }
                onData(c);
                if (coalesce.enabled() && c.length() < smallRead) {
                    // A trickling engine: the fan-out gathers its chunks anyway, so let the next
                    // ones pile up in the socket rather than wake this thread for each of them.
                    Thread.sleep(pause);
                }
            }
        } catch (IOException e) {
            if (stalled) {
                return "no data for " + settings.session().noDataTimeout().toMillis() + " ms";
            }
            return "reading failed: " + e.getMessage();
        } finally {
            closePlayback();
        }
    }

    private void onData(Chunk c) {
        long now = System.nanoTime();
        lastDataNanos = now;
        readDeadline = now + settings.session().noDataTimeout().toNanos();
        bytesIn.addAndGet(c.length());
        writer.write(c);
        if (!flowing) {
            flowing = true;
            List<Runnable> events = new ArrayList<>(1);
            lock.lock();
            try {
                upstreamHealthy = true;
                if (state == STARTING) {
                    events.add(transitionLocked(reserved > 0 ? STREAMING : LINGERING, "first data"));
                } else if (state == RECOVERING) {
                    events.add(transitionLocked(STREAMING, "upstream recovered"));
                }
            } finally {
                lock.unlock();
            }
            fire(events);
            started.complete(null);
        }
    }

    private void upstreamLost(String why) {
        flowing = false;
        LOG.log(Level.INFO, () -> "session " + key + " recovering: " + why);
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

    /** Climbs the recovery ladder until data flows again; throws when it is exhausted. */
    private Chunk recover(RecoveryLadder ladder, String loss) throws IOException, InterruptedException {
        IOException last = null;
        Set<EnginePool.Slot> avoid = new HashSet<>();
        while (true) {
            RecoveryLadder.Rung rung = ladder.next(engineSession != null, alternates.size() > 1);
            if (rung == null) {
                String why = "recovery failed after " + loss
                        + (last == null ? "" : "; last error: " + last.getMessage());
                throw new IOException(why, last);
            }
            int attempt = ladder.attempt(rung);
            Duration backoff = settings.retry().backoff(attempt, random);
            listener.recovering(key, rung.label, attempt, backoff);
            RecoveryLadder.Rung r = rung;
            LOG.log(Level.DEBUG, () -> "session " + key + ": " + r.label + " attempt " + attempt + "/"
                    + ladder.maxAttempts() + " in " + backoff.toMillis() + " ms");
            Thread.sleep(backoff);
            try {
                Chunk c = switch (rung) {
                    case RECONNECT -> connect(content(), false, avoid);
                    case NEW_SESSION -> connect(content(), true, avoid);
                    case FAILOVER -> {
                        moveToNextAlternate(loss);
                        yield connect(content(), true, avoid);
                    }
                };
                if (rung != RecoveryLadder.Rung.FAILOVER) {
                    reconnects.incrementAndGet();
                    table.reconnected();
                }
                return c;
            } catch (ContentUnavailableException e) {
                last = e;
                if (rung == RecoveryLadder.Rung.NEW_SESSION && alternates.size() > 1) {
                    // another alternate is more likely to play than this content again
                    ladder.exhaust(rung);
                }
            } catch (EngineUnavailableException e) {
                last = e;
                EnginePool.Slot s = slot;
                // a reconnect also fails this way when the engine merely forgot the session
                if (s != null && rung != RecoveryLadder.Rung.RECONNECT) {
                    avoid.add(s);
                }
            } catch (IOException e) {
                last = e;
            }
            if (stopping) {
                throw new InterruptedException("session stopping");
            }
        }
    }

    /**
     * Leaves the current content (stopping its engine session) and moves to the next alternate,
     * cycling back to the first after the last.
     */
    private void moveToNextAlternate(String why) throws InterruptedException {
        ContentId from = content();
        leaveEngineSession();
        table.releaseClaim(this, from);
        altIndex = (altIndex + 1) % alternates.size();
        ContentId to = content();
        failovers.incrementAndGet();
        table.failedOver();
        LOG.log(Level.INFO, () -> "session " + key + " failing over from " + from + " to " + to + " (" + why + ")");
        listener.failover(key, from, to);
    }

    private void leaveEngineSession() throws InterruptedException {
        EngineSession es = engineSession;
        EnginePool.Slot s = slot;
        engineSession = null;
        if (es != null && s != null) {
            stopEngineSession(s, es);
        }
    }

    /**
     * Opens the upstream and reads its first packets.
     *
     * @param alt the content
     * @param newSession whether to ask for a new engine session (otherwise reopen the playback url)
     * @param avoid engines that failed this recovery
     * @throws WarmingUpException if the playback ended before its first whole packet
     */
    private Chunk connect(ContentId alt, boolean newSession, Set<EnginePool.Slot> avoid)
            throws IOException, InterruptedException {
        if (newSession || engineSession == null) {
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
            if (!table.claim(this, alt)) {
                throw new ContentUnavailableException(alt + " is already played by another session");
            }
            engineSession = slot.client.startSession(alt, parameters);
        }
        EngineSession es = engineSession;
        InputStream in = slot.client.openPlayback(es);
        stalled = false;
        readDeadline = started.isDone()
                ? System.nanoTime() + settings.session().noDataTimeout().toNanos()
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

    private void closePlayback() {
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

    // ---------------------------------------------------------------- tick (scheduler thread)

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session " + key + ": health check failed", e);
        }
    }

    private void tick() {
        SessionState st = currentState;
        if (st.isTerminal()) {
            return;
        }
        long now = System.nanoTime();
        if (st == STARTING) {
            if (now - startDeadline >= 0 && !started.isDone() && !startTimedOut) {
                startTimedOut = true;
                abortUpstream(true);
            }
            return;
        }
        if (playback != null && now - readDeadline >= 0 && !stalled) {
            stalled = true;
            abortUpstream(false);
        }
        var p = settings.session();
        if (now - lastDataNanos >= p.keepaliveAfter().toNanos()
                && now - lastKeepalive >= p.keepaliveInterval().toNanos()
                && writer.writerCount() > 0) {
            writer.writeKeepalive(TsPackets.nullPackets(KEEPALIVE_PACKETS));
            lastKeepalive = now;
        }
        if (st == LINGERING && now - lingerDeadline >= 0) {
            table.expire(this);
            return;
        }
        if (writer.writerCount() > 0 && engineSession != null && now - nextStats >= 0
                && statsInFlight.compareAndSet(false, true)) {
            nextStats = now + p.statsInterval().toNanos();
            threads.startTask(this::pollStats);
        }
        if (now - rateSampleAt >= TimeUnit.SECONDS.toNanos(1)) {
            long bytes = bytesIn.get();
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
                Thread p = pump;
                if (p != null) {
                    p.interrupt();
                }
            }
            closePlayback();
        });
    }

    private void pollStats() {
        try {
            EnginePool.Slot s = slot;
            EngineSession es = engineSession;
            if (s != null && es != null && !stopping) {
                lastStats = s.client.stats(es);
            }
        } catch (EngineException e) {
            LOG.log(Level.DEBUG, () -> "session " + key + ": stats failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            statsInFlight.set(false);
        }
    }

    // ---------------------------------------------------------------- status

    SessionStatus status() {
        List<Client> copy;
        SessionState st;
        lock.lock();
        try {
            copy = List.copyOf(clients.values());
            st = state;
        } finally {
            lock.unlock();
        }
        List<ClientStatus> cs = new ArrayList<>(copy.size());
        for (Client c : copy) {
            WriterStats ws = c.writer().stats();
            cs.add(new ClientStatus(c.id(), c.info().remoteAddress(), c.info().userAgent(), c.connectedSince(),
                    ws.bytesWritten(), ws.bytesQueued(), ws.bytesSkipped(), ws.chunksSkipped()));
        }
        EngineSession es = engineSession;
        EnginePool.Slot s = slot;
        URI engine = s != null ? s.client.baseUri() : settings.engines().get(0).baseUri();
        Instant now = settings.clock().instant();
        Duration uptime = Duration.between(startedAt, now);
        return new SessionStatus(key, content(), channel, st,
                Optional.ofNullable(es).map(EngineSession::infohash), engine,
                Optional.ofNullable(es).map(EngineSession::statUri), startedAt,
                uptime.isNegative() ? Duration.ZERO : uptime, cs, bytesIn.get(), bitrate, reconnects.get(),
                failovers.get(), Optional.ofNullable(lastStats));
    }

    /** Bytes written to and skipped for the clients attached now. */
    long[] liveClientBytes() {
        List<Client> copy;
        lock.lock();
        try {
            copy = List.copyOf(clients.values());
        } finally {
            lock.unlock();
        }
        long out = 0;
        long skipped = 0;
        for (Client c : copy) {
            WriterStats ws = c.writer().stats();
            out += ws.bytesWritten();
            skipped += ws.bytesSkipped();
        }
        return new long[] {out, skipped};
    }

    long bytesIn() {
        return bytesIn.get();
    }

    int clientCount() {
        lock.lock();
        try {
            return clients.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "Session[" + key + ", " + currentState + "]";
    }
}
