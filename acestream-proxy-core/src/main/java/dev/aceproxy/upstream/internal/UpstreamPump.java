package dev.aceproxy.upstream.internal;

import dev.aceproxy.registry.internal.SafeListener;
import dev.aceproxy.registry.internal.RegistryThreads;
import dev.aceproxy.registry.internal.RegistrySettings;
import dev.aceproxy.registry.internal.PlayedElsewhereException;
import dev.aceproxy.registry.internal.EnginePool;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.ContentBusyException;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.fanout.internal.FanOut;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.internal.TsPacketizer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One session's pump thread: starts the {@link Upstream} within the start timeout, reads it and
 * hands every chunk to the fan-out, and retries as the {@link RecoveryPlan} says when it cannot start or the data stops.
 * It tells its {@link Owner} (the session) when data flows, when it is lost and when the pump
 * gives up; the session's state machine and lock stay with the session.
 */
public final class UpstreamPump {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");
    /** How often a pump held back by its clients looks again: a few packets of a fast client's drain. */
    private static final Duration BACKED_UP_POLL = Duration.ofMillis(2);
    /** How long a backed-up client counts as catching up, and the engine's stream waits for it. */
    public static final Duration CATCH_UP_GRACE = Duration.ofSeconds(1);

    /** What the pump needs from the session that owns it. */
    public interface Owner {

        /** Data flows: the first data of the session, or the first after a loss. */
        void upstreamFlowing();

        /** The upstream was lost; the pump starts recovering it. */
        void upstreamLost(String why);

        /** Whether players are attached or wait for the first data: backoffs are capped then. */
        boolean hasPlayers();

        /** The pump gave up: the session fails with {@code failure}. */
        void upstreamFailed(IOException failure);

        /**
         * Claims the content for the session: one engine session per content.
         *
         * @return false if another live session plays it
         */
        boolean claim(ContentId content) throws InterruptedException;

        /**
         * Claims the infohash the engine resolved the content to, so that a subscriber by
         * infohash joins this session.
         *
         * @return false if the session is starting and another live session plays that infohash:
         *     it gives way, its subscribers join the other session
         */
        boolean claimInfohash(ContentId content, String infohash);

        /** Gives up the session's claim on the content. */
        void releaseClaim(ContentId content);

        /** Counts a reconnect in the registry's totals. */
        void reconnected();

        /** Counts a failover in the registry's totals. */
        void failedOver();
    }

    private final Owner owner;
    private final Upstream upstream;
    private final RecoveryWait wait;
    private final EnginePool pool;
    private final RegistrySettings settings;
    private final SafeListener listener;
    private final FanOut fanOut;
    private final String key;
    private final int alternateCount;
    // completed by the session on the first data; only read here
    private final CompletableFuture<Void> started;

    private volatile Thread thread;
    private volatile boolean flowing;
    /** Set to cut the pump's pause short; see {@link #lookNow()}. */
    private volatile boolean lookNow;
    private volatile boolean startTimedOut;
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicInteger reconnects = new AtomicInteger();
    private final AtomicInteger failovers = new AtomicInteger();

    public UpstreamPump(Owner owner, Upstream upstream, RecoveryWait wait, EnginePool pool, RegistrySettings settings,
            SafeListener listener, FanOut fanOut, String key, int alternateCount,
            CompletableFuture<Void> started) {
        this.owner = owner;
        this.upstream = upstream;
        this.wait = wait;
        this.pool = pool;
        this.settings = settings;
        this.listener = listener;
        this.fanOut = fanOut;
        this.key = key;
        this.alternateCount = alternateCount;
        this.started = started;
    }

    /** Starts the pump thread; called once. */
    public void start(RegistryThreads threads) {
        thread = threads.startPump(this::run);
    }

    /**
     * Cuts the pump's pause between two reads short, so that it reads the engine's stream now: its
     * engine was taken out, and a stream that died with it is then seen at once.
     */
    public void lookNow() {
        lookNow = true;
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** The pump thread; null before {@link #start}. */
    public Thread thread() {
        return thread;
    }

    /**
     * The tick's verdict that no data came within the start timeout: the pump's failure is then
     * an engine timeout. Only the tick calls it.
     *
     * @return false if it was given already
     */
    public boolean timeOutStart() {
        if (startTimedOut) {
            return false;
        }
        startTimedOut = true;
        return true;
    }

    public long bytesIn() {
        return bytesIn.get();
    }

    public int reconnects() {
        return reconnects.get();
    }

    public int failovers() {
        return failovers.get();
    }

    // ---------------------------------------------------------------- pump thread

    private void run() {
        IOException failure = null;
        try {
            RecoveryPlan plan = new RecoveryPlan(settings.retry(), pool, alternateCount);
            plan.beginStart();
            Chunk first = connectUntilData(plan, null);
            onData(first);
            LOG.log(Level.INFO, () -> "session " + key + " started: " + upstream.content() + " on engine "
                    + upstream.slot() + " (infohash " + upstream.engineSession().infohash() + ")");
            long streamingSince = settings.clock().millis();
            while (true) {
                String loss = streamUntilLoss();
                if (upstream.stopping()) {
                    return;
                }
                if (settings.clock().millis() - streamingSince >= settings.retry().resetAfter().toMillis()) {
                    plan.reset();
                }
                upstreamLost(loss);
                plan.beginRecovery();
                Chunk c = connectUntilData(plan, loss);
                fanOut.upstreamRestarted();
                onData(c);
                streamingSince = settings.clock().millis();
                LOG.log(Level.INFO, () -> "session " + key + " recovered: " + upstream.content() + " on engine "
                        + upstream.slot());
            }
        } catch (InterruptedException e) {
            failure = timeoutOrNull();
        } catch (IOException e) {
            failure = upstream.stopping() ? null : e;
            if (failure != null && startTimedOut && !started.isDone()) {
                failure = timeoutOrNull();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session " + key + ": pump failed", e);
            failure = new IOException("session " + key + " failed: " + e, e);
        } finally {
            upstream.closePlayback();
        }
        if (failure != null && !upstream.stopping()) {
            owner.upstreamFailed(failure);
        }
    }

    private IOException timeoutOrNull() {
        if (startTimedOut && !upstream.stopping()) {
            return new EngineTimeoutException("no data from the engine within "
                    + settings.session().startTimeout().toMillis() + " ms for " + upstream.content());
        }
        return null;
    }

    /**
     * The one retry loop, for the start and for every recovery: tries what the plan says after
     * the wait it says, until data comes or the plan gives up.
     *
     * @param loss what was lost, or null at the start
     * @return the first chunk of the new upstream
     */
    private Chunk connectUntilData(RecoveryPlan plan, String loss) throws IOException, InterruptedException {
        while (true) {
            RecoveryPlan.Attempt attempt = plan.next(upstream.hasEngineSession(), owner.hasPlayers());
            if (attempt == null) {
                throw plan.gaveUp(loss);
            }
            if (plan.recovering()) {
                listener.recovering(key, attempt.step().label, attempt.number(), attempt.delay());
                LOG.log(Level.DEBUG, () -> "session " + key + ": " + attempt.step().label + " attempt "
                        + attempt.number() + "/" + plan.maxAttempts() + " in " + attempt.delay().toMillis() + " ms");
            }
            wait.pause(attempt.delay(), plan.refusing());
            try {
                Chunk c = tryStep(attempt.step(), plan, loss);
                if (attempt.step() == RecoveryPlan.Step.RECONNECT || attempt.step() == RecoveryPlan.Step.NEW_SESSION) {
                    reconnects.incrementAndGet();
                    owner.reconnected();
                }
                return c;
            } catch (IOException e) {
                if (e instanceof PlayedElsewhereException && !plan.recovering()) {
                    // the content is the infohash of a session that plays already: its players join that one
                    throw e;
                }
                RecoveryPlan.Next next = plan.failed(attempt.step(), e, upstream.slot(), upstream.stopping());
                if (next == RecoveryPlan.Next.NEXT_ALTERNATE) {
                    moveToNextAlternate("start: " + e.getMessage());
                }
                if (plan.recovering() && upstream.stopping()) {
                    throw new InterruptedException("session stopping");
                }
            }
        }
    }

    private Chunk tryStep(RecoveryPlan.Step step, RecoveryPlan plan, String loss)
            throws IOException, InterruptedException {
        return switch (step) {
            case START, RECONNECT -> connect(upstream.content(), false, plan.avoid());
            case NEW_SESSION -> connect(upstream.content(), true, plan.avoid());
            case FAILOVER -> {
                moveToNextAlternate(loss);
                yield connect(upstream.content(), true, plan.avoid());
            }
        };
    }

    /**
     * Holds the engine's stream back while every client is backed up (the pump reads no faster
     * than the fastest client), and while a client is catching up: backed up for less than
     * {@link #CATCH_UP_GRACE}, such as a new client whose thread has not written yet while the
     * engine bursts. The engine keeps what is not read; none of this counts as a stall.
     */
    private void waitWhileClientsAreBackedUp() throws InterruptedException {
        while (!upstream.stopping()) {
            long now = System.nanoTime();
            // Both are asked every time: the catching-up check keeps each client's clock current.
            boolean catchingUp = fanOut.clientCatchingUp(now, CATCH_UP_GRACE);
            if (!catchingUp && !fanOut.clientsBackedUp()) {
                return;
            }
            upstream.holdingBack(now);
            Thread.sleep(BACKED_UP_POLL);
        }
    }

    /** Reads and fans out until the upstream ends, fails or stalls; returns why it was lost. */
    private String streamUntilLoss() throws InterruptedException {
        TsPacketizer p = upstream.packetizer();
        CoalescePolicy coalesce = settings.coalesce();
        Duration pause = coalesce.maxDelay();
        boolean paused = false;
        try {
            while (true) {
                waitWhileClientsAreBackedUp();
                Chunk c = p.next();
                if (c == null) {
                    return "the engine ended the stream";
                }
                // What was read after a pause waited in the socket already: it goes out now,
                // with whatever the fan-out holds, rather than wait for the gathering delay again.
                onData(c, paused);
                paused = coalesce.enabled() && p.lastReadDrained();
                if (paused) {
                    // The engine had nothing more ready: let its next writes gather in the socket
                    // for one gathering delay, rather than wake this thread for each of them. A
                    // read that filled the buffer means the engine is ahead (a burst), and the
                    // pump reads on at once.
                    pause(pause);
                }
            }
        } catch (IOException e) {
            if (upstream.stalled()) {
                return "no data for " + settings.session().noDataTimeout().toMillis() + " ms";
            }
            return "reading failed: " + e.getMessage();
        } finally {
            upstream.closePlayback();
        }
    }

    /** Waits {@code length}, or less when {@link #lookNow()} is called. */
    private void pause(Duration length) throws InterruptedException {
        long deadline = System.nanoTime() + length.toNanos();
        long left;
        while (!lookNow && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException("pump interrupted");
            }
        }
        lookNow = false;
    }

    private void onData(Chunk c) {
        onData(c, false);
    }

    private void onData(Chunk c, boolean handOutNow) {
        upstream.dataArrived(System.nanoTime());
        bytesIn.addAndGet(c.length());
        fanOut.write(c, handOutNow);
        if (!flowing) {
            flowing = true;
            owner.upstreamFlowing();
        }
    }

    private void upstreamLost(String why) {
        flowing = false;
        LOG.log(Level.INFO, () -> "session " + key + " recovering: " + why);
        owner.upstreamLost(why);
    }

    /**
     * Leaves the current content (stopping its engine session) and moves to the next alternate,
     * cycling back to the first after the last.
     */
    private void moveToNextAlternate(String why) throws InterruptedException {
        ContentId from = upstream.content();
        upstream.leaveEngineSession();
        owner.releaseClaim(from);
        upstream.nextAlternate();
        ContentId to = upstream.content();
        failovers.incrementAndGet();
        owner.failedOver();
        LOG.log(Level.INFO, () -> "session " + key + " failing over from " + from + " to " + to + " (" + why + ")");
        listener.failover(key, from, to);
    }

    /**
     * Opens the upstream and reads its first packets.
     *
     * @param alt the content
     * @param newSession whether to ask for a new engine session (otherwise reopen the playback url of
     *     the session held, if there is one); the held session is stopped before the new getstream
     * @param avoid engines that failed this recovery
     * @throws WarmingUpException if the playback ended before its first whole packet
     */
    private Chunk connect(ContentId alt, boolean newSession, Set<EnginePool.Slot> avoid)
            throws IOException, InterruptedException {
        if (newSession || !upstream.hasEngineSession()) {
            upstream.chooseEngine(avoid);
            if (!owner.claim(alt)) {
                throw new ContentBusyException(alt + " is already played by another session");
            }
            upstream.startEngineSession(alt);
            String infohash = upstream.engineSession().infohash();
            if (!owner.claimInfohash(alt, infohash)) {
                // The engine has one download per infohash: a second engine session of it would
                // be the duplicate the registry exists to prevent. Its stop cuts the reader of the
                // other session, which reconnects to its own playback url at once.
                upstream.leaveEngineSession();
                throw new PlayedElsewhereException(alt + " is infohash " + infohash
                        + ", which another session plays already");
            }
        }
        return upstream.openPlayback(alt);
    }
}
