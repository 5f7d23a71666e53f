package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.PlayerStats;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.DrainingException;
import dev.aceproxy.registry.LimitReachedException;
import dev.aceproxy.registry.ParametersConflictException;
import dev.aceproxy.registry.Limits;
import dev.aceproxy.registry.Readiness;
import dev.aceproxy.registry.RegistryStatus;
import dev.aceproxy.registry.SessionState;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.registry.Subscription;
import dev.aceproxy.registry.Totals;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's sessions by key, the contents they play, the limits, totals and shutdown. The
 * table lock guards the maps and is never held across an engine call; it is taken before a
 * session's own lock, never after.
 */
public final class SessionTable {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");
    /** New sessions per client address in the last minute; guarded by lock. */
    private final NewSessionRate newSessionRate = new NewSessionRate();
    /** How long a new session waits for the teardown of an old one playing the same content. */
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(15);

    private final RegistrySettings settings;
    private final SafeListener listener;
    private final EnginePool pool;
    private final RegistryThreads threads = new RegistryThreads();
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<String> allowedParameters;

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<ContentId, Session> claims = new HashMap<>();
    private boolean shutdown;

    /** Sessions created and not yet torn down (terminal ones included until their teardown ends). */
    private final Set<Session> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicLong nextClientId = new AtomicLong();
    private final AtomicLong endedBytesIn = new AtomicLong();
    private final AtomicLong endedBytesOut = new AtomicLong();
    private final AtomicLong endedSkipped = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private final CompletableFuture<Void> shutdownDone = new CompletableFuture<>();
    private volatile boolean shutdownFlag;
    private volatile boolean draining;

    /**
     * Builds the table and starts the scheduler and the engine-probe thread.
     *
     * @param settings the registry's settings
     */
    public SessionTable(RegistrySettings settings) {
        this.settings = settings;
        this.listener = new SafeListener(settings.listener());
        this.pool = new EnginePool(settings.engines(), settings.pool(), listener);
        Set<String> allowed = null;
        for (AceEngineClient e : settings.engines()) {
            if (allowed == null) {
                allowed = new java.util.HashSet<>(e.allowedParameters());
            } else {
                allowed.retainAll(e.allowedParameters());
            }
        }
        this.allowedParameters = Set.copyOf(allowed);
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "aceproxy-registry-scheduler");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.ERROR, "uncaught in " + th.getName(), e));
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        threads.startProbe(() -> pool.probeLoop(threads));
    }

    /**
     * The session key of a content.
     *
     * @param content the content
     * @return its key, as in {@code id=0123...}
     */
    public static String contentKey(ContentId content) {
        return content.toString();
    }

    /**
     * The session key of a channel.
     *
     * @param name the channel's name
     * @return its key, {@code channel:<name>}
     */
    public static String channelKey(String name) {
        return "channel:" + name;
    }

    /**
     * Joins or starts the session; see {@link dev.aceproxy.registry.StreamRegistry#subscribe}.
     *
     * @param key the session key
     * @param alternates the contents, in order (one for a plain content)
     * @param channel the channel's name, if any
     * @param parameters extra engine parameters
     * @param sink the client's sink
     * @param client the client's info
     * @return the subscription
     * @throws IOException the start failure or a limit
     * @throws InterruptedException if interrupted while waiting
     */
    public Subscription subscribe(String key, List<ContentId> alternates, Optional<String> channel,
                                  Map<String, String> parameters, ClientSink sink, ClientInfo client)
            throws IOException, InterruptedException {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(client, "client");
        Map<String, String> params = Map.copyOf(Objects.requireNonNull(parameters, "parameters"));
        for (String name : params.keySet()) {
            if (!allowedParameters.contains(name)) {
                throw new IllegalArgumentException("engine parameter " + name + " is not allowed; allowed: "
                        + new java.util.TreeSet<>(allowedParameters));
            }
        }
        Limits limits = settings.limits();
        while (true) {
            Session session;
            lock.lock();
            try {
                if (shutdown) {
                    throw new IllegalStateException("registry is shut down");
                }
                if (limits.maxClients() > 0 && clients.get() >= limits.maxClients()) {
                    throw new LimitReachedException(LimitReachedException.Limit.CLIENTS, limits.retryAfter(),
                            "the registry serves its maximum of " + limits.maxClients() + " clients");
                }
                session = sessions.get(key);
                if (session == null) {
                    session = playingSession(alternates, channel.isPresent());
                }
                if (session != null && !session.hasFlowingUpstream() && !pool.anyHealthy()) {
                    // A session waiting for a dead engine would hold the player on keepalive
                    // packets; turned away, a balancer moves it to an instance that streams.
                    throw new EngineUnavailableException("no healthy engine among " + settings.engines().size()
                            + " configured, and session " + session.key + " has no data now");
                }
                if (session != null && !session.parameters().equals(params)) {
                    throw new ParametersConflictException(session.key, session.parameters(), params);
                }
                if (session != null) {
                    if (limits.maxClientsPerSession() > 0 && session.reserved() >= limits.maxClientsPerSession()) {
                        throw new LimitReachedException(LimitReachedException.Limit.CLIENTS_PER_SESSION,
                                limits.retryAfter(), "session " + session.key + " serves its maximum of "
                                + limits.maxClientsPerSession() + " clients");
                    }
                    if (!session.reserve()) {
                        sessions.remove(key, session);
                        session = null;
                    }
                }
                if (session == null) {
                    if (draining) {
                        throw new DrainingException(limits.retryAfter(),
                                "the registry is draining: it starts no new session");
                    }
                    if (limits.maxSessions() > 0 && sessions.size() >= limits.maxSessions() && !evictLingering()) {
                        throw new LimitReachedException(LimitReachedException.Limit.SESSIONS, limits.retryAfter(),
                                "the registry runs its maximum of " + limits.maxSessions() + " sessions");
                    }
                    if (limits.maxSessionsPerEngine() > 0 && pool.anyHealthy()
                            && sessions.size() >= (long) pool.healthyCount() * limits.maxSessionsPerEngine()
                            && !evictLingering()) {
                        throw new LimitReachedException(LimitReachedException.Limit.SESSIONS_PER_ENGINE,
                                limits.retryAfter(), "every healthy engine serves its maximum of "
                                + limits.maxSessionsPerEngine() + " sessions");
                    }
                    if (limits.maxNewSessionsPerAddress() > 0 && client.remoteAddress().isPresent()
                            && !newSessionRate.tryStart(client.remoteAddress().get(), System.nanoTime(),
                            limits.maxNewSessionsPerAddress())) {
                        throw new LimitReachedException(LimitReachedException.Limit.NEW_SESSIONS_PER_ADDRESS,
                                limits.retryAfter(), "this address started its maximum of "
                                + limits.maxNewSessionsPerAddress() + " new sessions in the last minute");
                    }
                    if (!pool.anyHealthy()) {
                        throw new EngineUnavailableException("no healthy engine among " + settings.engines().size()
                                + " configured");
                    }
                    session = new Session(this, settings, listener, pool, threads, key, alternates, channel, params,
                            firstFreeAlternate(alternates));
                    sessions.put(key, session);
                    live.add(session);
                    session.reserve();
                    session.start(scheduler);
                }
            } finally {
                lock.unlock();
            }
            try {
                session.awaitStarted();
            } catch (PlayedElsewhereException e) {
                // the content is the infohash of a session that plays already: join that one
                session.unreserve();
                continue;
            } catch (InterruptedException e) {
                // The subscriber gave up waiting (its player left): a start nobody waits for ends now.
                session.unreserve();
                abandonIfNobodyWaits(session);
                throw e;
            } catch (IOException | RuntimeException e) {
                session.unreserve();
                throw e;
            }
            Subscription sub = session.attach(sink, client, nextClientId.incrementAndGet());
            if (sub != null) {
                return sub;
            }
            // The session ended between its start and this attach: go round for a fresh one.
        }
    }

    /**
     * The live session already playing the content (a direct subscriber joins a channel playing
     * it); for a channel, the session playing its first alternate when every alternate is taken.
     */
    private Session playingSession(List<ContentId> alternates, boolean isChannel) {
        if (!isChannel) {
            return liveClaimer(alternates.get(0));
        }
        for (ContentId c : alternates) {
            if (liveClaimer(c) == null) {
                return null;
            }
        }
        return liveClaimer(alternates.get(0));
    }

    private Session liveClaimer(ContentId c) {
        Session s = claims.get(c);
        return s != null && !s.isTerminal() ? s : null;
    }

    private int firstFreeAlternate(List<ContentId> alternates) {
        for (int i = 0; i < alternates.size(); i++) {
            if (liveClaimer(alternates.get(i)) == null) {
                return i;
            }
        }
        return 0;
    }

    /** Ends the oldest lingering session to make room; caller holds the lock. */
    private boolean evictLingering() {
        for (Session s : sessions.values()) {
            if (s.isLingering() && s.terminate(SessionState.STOPPED, "ended early to make room for a new session",
                    new IllegalStateException("session ended"))) {
                sessions.remove(s.key, s);
                startTeardown(s, EndReason.REMOVED, Duration.ZERO);
                return true;
            }
        }
        return false;
    }

    private void startTeardown(Session s, EndReason reason, Duration drain) {
        threads.startTask(() -> s.teardown(reason, drain));
    }

    // ---------------------------------------------------------------- called by sessions

    void clientCountDelta(int delta) {
        clients.addAndGet(delta);
    }

    void clientEnded(PlayerStats stats, EndReason reason) {
        endedBytesOut.addAndGet(stats.bytesWritten());
        endedSkipped.addAndGet(stats.bytesSkipped());
        if (reason == EndReason.OVERFLOW || reason == EndReason.STALLED) {
            evictions.incrementAndGet();
        }
    }

    void reconnected() {
        reconnects.incrementAndGet();
    }

    void failedOver() {
        failovers.incrementAndGet();
    }

    /**
     * Claims a content for a session: one engine session per content. Waits for an ended
     * session that still holds it to finish its teardown (its stop call must not reach the
     * engine after this session's getstream).
     *
     * @return false if another live session plays the content
     */
    boolean claim(Session session, ContentId content) throws InterruptedException {
        long deadline = System.nanoTime() + CLAIM_WAIT.toNanos();
        while (true) {
            CompletableFuture<Void> wait;
            lock.lock();
            try {
                Session owner = claims.get(content);
                if (owner == null || owner == session) {
                    claims.put(content, session);
                    session.addClaim(content);
                    return true;
                }
                if (!owner.isTerminal()) {
                    return false;
                }
                wait = owner.teardownDone;
            } finally {
                lock.unlock();
            }
            long left = deadline - System.nanoTime();
            try {
                wait.get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // teardownDone never fails
            } catch (TimeoutException e) {
                LOG.log(Level.WARNING, () -> "session " + session.key + ": the previous session of " + content
                        + " is still stopping; starting anyway");
                lock.lock();
                try {
                    claims.put(content, session);
                    session.addClaim(content);
                } finally {
                    lock.unlock();
                }
                return true;
            }
        }
    }

    /**
     * Claims the infohash a content id resolved to, so that a subscriber by infohash joins the
     * session. When another live session plays that infohash and {@code mayYield}, the content
     * id's claim moves to that session (a later subscriber by id joins it at once) and the caller
     * gives way.
     *
     * @return false if the caller must give way
     */
    boolean claimInfohash(Session session, ContentId content, String infohash, boolean mayYield) {
        if (content.kind() == ContentId.Kind.INFOHASH) {
            return true;
        }
        ContentId alias;
        try {
            alias = ContentId.infohash(infohash);
        } catch (IllegalArgumentException e) {
            // not 40 hex characters: nothing a subscriber could name
            return true;
        }
        lock.lock();
        try {
            Session owner = claims.get(alias);
            if (owner == null || owner == session || owner.isTerminal()) {
                claims.put(alias, session);
                session.addClaim(alias);
                return true;
            }
            if (!mayYield) {
                return true;
            }
            claims.remove(content, session);
            session.removeClaim(content);
            claims.put(content, owner);
            owner.addClaim(content);
        } finally {
            lock.unlock();
        }
        LOG.log(Level.INFO, () -> "session " + session.key + ": " + content + " is " + alias
                + ", which another session plays; its subscribers join that session");
        return false;
    }

    void releaseClaim(Session session, ContentId content) {
        lock.lock();
        try {
            claims.remove(content, session);
            session.removeClaim(content);
        } finally {
            lock.unlock();
        }
    }

    /** The pump's upstream failed for good. */
    void fail(Session session, IOException failure) {
        boolean ended;
        boolean gaveWay = failure instanceof PlayedElsewhereException;
        lock.lock();
        try {
            ended = session.terminate(gaveWay ? SessionState.STOPPED : SessionState.FAILED, failure.getMessage(),
                    failure);
            if (ended) {
                sessions.remove(session.key, session);
            }
        } finally {
            lock.unlock();
        }
        if (ended && gaveWay) {
            session.teardown(EndReason.REMOVED, Duration.ZERO);
        } else if (ended) {
            LOG.log(Level.INFO, () -> "session " + session.key + " failed: " + failure.getMessage());
            session.teardown(EndReason.STREAM_FAILED, Session.FAILED_DRAIN);
        }
    }

    /** Ends a session whose start nobody waits for any more, and stops its engine session. */
    private void abandonIfNobodyWaits(Session session) {
        boolean abandoned;
        lock.lock();
        try {
            abandoned = session.abandonIfNobodyWaits();
            if (abandoned) {
                sessions.remove(session.key, session);
            }
        } finally {
            lock.unlock();
        }
        if (abandoned) {
            LOG.log(Level.INFO, () -> "session " + session.key + " start abandoned: its last waiting player left");
            startTeardown(session, EndReason.CLIENT_CLOSED, Duration.ZERO);
        }
    }

    /** The linger delay of a session passed (scheduler thread: must not block). */
    void expire(Session session) {
        boolean expired;
        lock.lock();
        try {
            expired = session.expireIfDue();
            if (expired) {
                sessions.remove(session.key, session);
            }
        } finally {
            lock.unlock();
        }
        if (expired) {
            startTeardown(session, EndReason.STREAM_ENDED, Duration.ZERO);
        }
    }

    void teardownFinished(Session session, long bytesIn, Set<ContentId> claimed) {
        lock.lock();
        try {
            for (ContentId c : claimed) {
                claims.remove(c, session);
            }
            sessions.remove(session.key, session);
        } finally {
            lock.unlock();
        }
        endedBytesIn.addAndGet(bytesIn);
        live.remove(session);
    }

    // ---------------------------------------------------------------- status

    /**
     * A snapshot of everything.
     *
     * @return the snapshot
     */
    public RegistryStatus status() {
        List<Session> copy;
        lock.lock();
        try {
            copy = new ArrayList<>(sessions.values());
        } finally {
            lock.unlock();
        }
        List<SessionStatus> out = new ArrayList<>(copy.size());
        int clientCount = 0;
        long bytesIn = endedBytesIn.get();
        long bytesOut = endedBytesOut.get();
        long skipped = endedSkipped.get();
        for (Session s : live) {
            if (!copy.contains(s)) {
                bytesIn += s.bytesIn();
            }
        }
        for (Session s : copy) {
            SessionStatus st = s.status();
            out.add(st);
            clientCount += st.clients().size();
            bytesIn += st.bytesIn();
            long[] live = s.liveClientBytes();
            bytesOut += live[0];
            skipped += live[1];
        }
        Totals totals = new Totals(out.size(), clientCount, bytesIn, bytesOut, reconnects.get(), failovers.get(),
                evictions.get(), skipped);
        return new RegistryStatus(settings.clock().instant(), out, pool.status(), totals);
    }

    /**
     * The status of the session playing a content.
     *
     * @param content the content
     * @return the status, if such a session runs
     */
    public Optional<SessionStatus> status(ContentId content) {
        Session s;
        lock.lock();
        try {
            s = liveClaimer(content);
            if (s == null) {
                s = sessions.get(contentKey(content));
            }
        } finally {
            lock.unlock();
        }
        return s == null || s.isTerminal() ? Optional.empty() : Optional.of(s.status());
    }

    // ---------------------------------------------------------------- draining and readiness

    /**
     * Starts no new session from now on; running sessions keep their clients and take new ones
     * while their upstream flows. Idempotent and irreversible.
     */
    public void startDraining() {
        if (!draining) {
            draining = true;
            LOG.log(Level.INFO, "stream registry draining: no new session will start");
        }
    }

    /**
     * Tells whether draining has begun.
     *
     * @return whether it has
     */
    public boolean isDraining() {
        return draining;
    }

    /**
     * A readiness snapshot; takes no engine call.
     *
     * @return the snapshot
     */
    public Readiness readiness() {
        int running;
        lock.lock();
        try {
            running = sessions.size();
        } finally {
            lock.unlock();
        }
        return new Readiness(draining, shutdownFlag, pool.healthyCount(), settings.engines().size(), running,
                settings.limits().maxSessions());
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Shuts the registry down; see {@link dev.aceproxy.registry.StreamRegistry#shutdown(Duration)}.
     *
     * @param deadline the time allowed
     * @throws InterruptedException if interrupted while waiting
     */
    public void shutdown(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        List<Session> stopped = new ArrayList<>();
        boolean first;
        lock.lock();
        try {
            first = !shutdown;
            shutdown = true;
            shutdownFlag = true;
            if (first) {
                for (Session s : sessions.values()) {
                    if (s.terminate(SessionState.STOPPED, "registry shut down",
                            new IllegalStateException("registry is shut down"))) {
                        stopped.add(s);
                    }
                }
                sessions.clear();
            }
        } finally {
            lock.unlock();
        }
        if (!first) {
            try {
                shutdownDone.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // the first caller reports
            }
            return;
        }
        try {
            pool.stop();
            Duration drain = Duration.ofNanos(Math.max(0, (end - System.nanoTime()) / 4));
            for (Session s : stopped) {
                startTeardown(s, EndReason.SHUTDOWN, drain);
            }
            for (Session s : List.copyOf(live)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    s.teardownDone.get(left, TimeUnit.NANOSECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    LOG.log(Level.WARNING, () -> "session " + s.key + " did not finish stopping before the deadline");
                }
            }
            scheduler.shutdownNow();
            boolean ended = threads.awaitAll(end);
            scheduler.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (!ended) {
                LOG.log(Level.WARNING, () -> threads.count() + " registry threads still running after shutdown");
            }
            LOG.log(Level.INFO, "stream registry shut down");
        } finally {
            shutdownDone.complete(null);
        }
    }

    /**
     * Tells whether shutdown has begun.
     *
     * @return whether it has
     */
    public boolean isShutdown() {
        return shutdownFlag;
    }

    /**
     * Threads owned by the registry that still run (the scheduler included).
     *
     * @return the count
     */
    public int liveThreads() {
        return threads.count() + (scheduler.isTerminated() ? 0 : 1);
    }
}
