package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.Readiness;
import dev.aceproxy.registry.RegistryStatus;
import dev.aceproxy.registry.SessionState;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.registry.Subscription;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's sessions by key: subscribing (join or start), ending sessions, status and
 * shutdown. Its parts: {@link Admission} decides who may join or start, {@link ContentClaims}
 * which session plays which content, {@link RegistryTotals} the running totals; sessions report to
 * the table through {@link SessionHost}.
 *
 * <p>The table lock guards the session map and is never held across an engine call; it is taken
 * before a session's own lock or the claims' lock, never after.
 */
public final class SessionTable implements SessionHost {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");

    private final RegistrySettings settings;
    private final SafeListener listener;
    private final EnginePool pool;
    private final Admission admission;
    private final ContentClaims claims = new ContentClaims();
    private final RegistryTotals totals = new RegistryTotals();
    private final RegistryThreads threads = new RegistryThreads();
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<String> allowedParameters;

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private boolean shutdown;

    /** Sessions created and not yet torn down (terminal ones included until their teardown ends). */
    private final Set<Session> live = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> shutdownDone = new CompletableFuture<>();
    private volatile boolean shutdownFlag;

    /**
     * Builds the table and starts the scheduler and the engine-probe thread.
     *
     * @param settings the registry's settings
     */
    public SessionTable(RegistrySettings settings) {
        this.settings = settings;
        this.listener = new SafeListener(settings.listener());
        this.pool = new EnginePool(settings.engines(), settings.pool(), listener);
        pool.onTakenOut(slot -> live.forEach(session -> session.engineTakenOut(slot)));
        this.admission = new Admission(settings.limits(), pool, settings.engines().size());
        this.allowedParameters = allowedByEveryEngine(settings.engines());
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "aceproxy-registry-scheduler");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.ERROR, "uncaught in " + th.getName(), e));
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        threads.startProbe(() -> pool.probeLoop(threads));
    }

    private static Set<String> allowedByEveryEngine(List<AceEngineClient> engines) {
        Set<String> allowed = null;
        for (AceEngineClient e : engines) {
            if (allowed == null) {
                allowed = new HashSet<>(e.allowedParameters());
            } else {
                allowed.retainAll(e.allowedParameters());
            }
        }
        return Set.copyOf(allowed);
    }

    /**
     * The extra engine parameters a subscriber may pass: those every engine of the pool allows.
     *
     * @return the allowed parameter names
     */
    public Set<String> allowedParameters() {
        return allowedParameters;
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
                        + new TreeSet<>(allowedParameters));
            }
        }
        while (true) {
            Session session = joinOrStart(key, alternates, channel, params, client);
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
            Subscription sub = session.attach(sink, client, totals.nextClientId());
            if (sub != null) {
                return sub;
            }
            // The session ended between its start and this attach: go round for a fresh one.
        }
    }

    /** Reserves a place in the running session of {@code key} (or its contents), or starts one. */
    private Session joinOrStart(String key, List<ContentId> alternates, Optional<String> channel,
                                Map<String, String> params, ClientInfo client) throws IOException {
        lock.lock();
        try {
            if (shutdown) {
                throw new IllegalStateException("registry is shut down");
            }
            admission.checkClient(totals.clients());
            Session session = sessions.get(key);
            if (session == null) {
                session = claims.playingSession(alternates, channel.isPresent());
            }
            if (session != null) {
                admission.checkJoin(session, params);
                if (session.reserve()) {
                    return session;
                }
                sessions.remove(key, session);
            }
            admission.checkNewSession(sessions::size, client, this::evictLingering);
            session = new Session(this, claims, totals, settings, listener, pool, threads, key, alternates, channel,
                    params, claims.firstFreeAlternate(alternates));
            sessions.put(key, session);
            live.add(session);
            session.reserve();
            session.start(scheduler);
            return session;
        } finally {
            lock.unlock();
        }
    }

    /** Ends one lingering session to make room for a new one. Lock held. */
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

    // ---------------------------------------------------------------- what sessions tell the table

    @Override
    public void failed(Session session, IOException failure) {
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

    @Override
    public void lingerExpired(Session session) {
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

    @Override
    public void tornDown(Session session, long bytesIn) {
        claims.releaseAll(session);
        lock.lock();
        try {
            sessions.remove(session.key, session);
        } finally {
            lock.unlock();
        }
        totals.sessionEnded(bytesIn);
        live.remove(session);
    }

    // ---------------------------------------------------------------- status

    /**
     * The status of every session, the engines and the totals.
     *
     * @return the registry's status now
     */
    public RegistryStatus status() {
        List<Session> listed;
        lock.lock();
        try {
            listed = new ArrayList<>(sessions.values());
        } finally {
            lock.unlock();
        }
        long unlistedBytesIn = 0;
        for (Session s : live) {
            if (!listed.contains(s)) {
                unlistedBytesIn += s.bytesIn();
            }
        }
        List<SessionStatus> out = new ArrayList<>(listed.size());
        long[] liveBytes = new long[2];
        for (Session s : listed) {
            out.add(s.status());
            long[] bytes = s.liveClientBytes();
            liveBytes[0] += bytes[0];
            liveBytes[1] += bytes[1];
        }
        return new RegistryStatus(settings.clock().instant(), out, pool.status(),
                totals.totals(out, liveBytes, unlistedBytesIn));
    }

    /**
     * The status of the live session that plays {@code content}.
     *
     * @param content a content
     * @return its session's status, if one is live
     */
    public Optional<SessionStatus> status(ContentId content) {
        Session s = claims.liveClaimer(content);
        if (s == null) {
            lock.lock();
            try {
                s = sessions.get(contentKey(content));
            } finally {
                lock.unlock();
            }
        }
        return s == null || s.isTerminal() ? Optional.empty() : Optional.of(s.status());
    }

    // ---------------------------------------------------------------- draining and readiness

    /** Starts no new session from now on; running sessions keep their players. */
    public void startDraining() {
        if (admission.startDraining()) {
            LOG.log(Level.INFO, "stream registry draining: no new session will start");
        }
    }

    /**
     * Tells whether the table drains.
     *
     * @return {@code true} after {@link #startDraining()}
     */
    public boolean isDraining() {
        return admission.draining();
    }

    /**
     * Whether the registry can take new players.
     *
     * @return draining, shutdown, engines and sessions now
     */
    public Readiness readiness() {
        int running;
        lock.lock();
        try {
            running = sessions.size();
        } finally {
            lock.unlock();
        }
        return new Readiness(admission.draining(), shutdownFlag, pool.healthyCount(), settings.engines().size(),
                running, settings.limits().maxSessions());
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Ends every session and stops every thread, within {@code deadline}. A second call waits for
     * the first.
     *
     * @param deadline how long the whole shutdown may take
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
            awaitTeardowns(end);
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

    private void awaitTeardowns(long end) throws InterruptedException {
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
    }

    /**
     * Tells whether the table was shut down.
     *
     * @return {@code true} once {@link #shutdown} began
     */
    public boolean isShutdown() {
        return shutdownFlag;
    }

    /**
     * Counts the registry's threads still running, the scheduler included.
     *
     * @return threads alive
     */
    public int liveThreads() {
        return threads.count() + (scheduler.isTerminated() ? 0 : 1);
    }
}
