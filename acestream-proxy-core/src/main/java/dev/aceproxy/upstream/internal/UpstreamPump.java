package dev.aceproxy.upstream.internal;

import dev.aceproxy.registry.internal.SafeListener;
import dev.aceproxy.registry.internal.RegistryThreads;
import dev.aceproxy.registry.internal.RegistrySettings;
import dev.aceproxy.registry.internal.PlayedElsewhereException;
import dev.aceproxy.registry.internal.EnginePool;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.fanout.internal.FanOut;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.internal.TsPacketizer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One session's pump thread: starts the {@link Upstream} within the start timeout, reads it and
 * hands every chunk to the fan-out, and climbs the {@link RecoveryLadder} when the data stops.
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
    private final SplittableRandom random = new SplittableRandom();

    private volatile Thread thread;
    private volatile boolean flowing;
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
            Chunk first = startUpstream();
            onData(first);
            LOG.log(Level.INFO, () -> "session " + key + " started: " + upstream.content() + " on engine "
                    + upstream.slot() + " (infohash " + upstream.engineSession().infohash() + ")");
            RecoveryLadder ladder = new RecoveryLadder(settings.retry());
            long streamingSince = settings.clock().millis();
            while (true) {
                String loss = streamUntilLoss();
                if (upstream.stopping()) {
                    return;
                }
                if (settings.clock().millis() - streamingSince >= settings.retry().resetAfter().toMillis()) {
                    ladder.reset();
                }
                upstreamLost(loss);
                Chunk c = recover(ladder, loss);
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
     * STARTING: asks for an engine session and waits for its first data, within the start timeout.
     * A playback that fails while the engine session lives (warming up, {@code start timeout}) is
     * opened again on the same session: a new getstream would open a second session of the content.
     * An engine that refuses while no other engine is healthy fails the start at once.
     */
    private Chunk startUpstream() throws IOException, InterruptedException {
        int failures = 0;
        int retries = 0;
        int alternatesTried = 1;
        Set<EnginePool.Slot> avoid = new HashSet<>();
        while (true) {
            ContentId alt = upstream.content();
            boolean atOnce = false;
            try {
                return connect(alt, false, avoid);
            } catch (ContentUnavailableException e) {
                if (alternatesTried >= alternateCount) {
                    throw e;
                }
                alternatesTried++;
                moveToNextAlternate("start: " + e.getMessage());
                continue;
            } catch (WarmingUpException e) {
                // prebuffering: retried until the start timeout, not counted as a failure
                LOG.log(Level.DEBUG, () -> "session " + key + ": " + e.getMessage());
            } catch (EngineUnavailableException e) {
                if (upstream.stopping() || ++failures >= settings.retry().maxAttempts()) {
                    throw e;
                }
                EnginePool.Slot s = upstream.slot();
                EngineFault fault = EngineFault.of(e);
                if (s != null && fault != EngineFault.SESSION_GONE) {
                    avoid.add(s);
                }
                if (fault == EngineFault.REFUSED && s != null) {
                    if (engineGone(s, avoid) != null) {
                        // No healthy engine is left: the registry knows it cannot start the
                        // session now, and says so at once rather than after the backoffs (a
                        // balancer then moves the player to another instance).
                        throw e;
                    }
                    atOnce = true;
                } else {
                    atOnce = fault == EngineFault.SESSION_GONE;
                }
            } catch (PlayedElsewhereException e) {
                throw e;
            } catch (IOException e) {
                if (upstream.stopping() || ++failures >= settings.retry().maxAttempts()) {
                    throw e;
                }
            }
            Duration backoff = settings.retry().backoff(++retries, random);
            wait.pause(RecoveryWait.before(backoff, atOnce, null, owner.hasPlayers()), null);
        }
    }

    /**
     * The engine {@code s} refused a connection: it is down, and has forgotten its sessions. It
     * is taken out of the pool until it answers again.
     *
     * @return null when another healthy engine can take the session at once; else {@code s}, to
     *     be probed until it answers
     */
    private EnginePool.Slot engineGone(EnginePool.Slot s, Set<EnginePool.Slot> avoid) {
        pool.markRefused(s);
        return pool.anyHealthyOutside(avoid) ? null : s;
    }

    /**
     * Reads no faster than the fastest client takes the stream. An engine releases its buffered
     * window at link speed; pushed into the queues at that speed it would overflow every client at
     * once. While every client has half its queue waiting, the burst waits in the engine's socket
     * instead; a client that falls a whole queue behind the fastest is still handled by its
     * overflow policy. Holding back is not the engine's silence: it neither counts towards the
     * no-data timeout nor brings keepalive filler.
     */
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
        long smallRead = coalesce.targetBytes() / 2;
        Duration pause = coalesce.maxDelay().dividedBy(2);
        try {
            while (true) {
                waitWhileClientsAreBackedUp();
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
            if (upstream.stalled()) {
                return "no data for " + settings.session().noDataTimeout().toMillis() + " ms";
            }
            return "reading failed: " + e.getMessage();
        } finally {
            upstream.closePlayback();
        }
    }

    private void onData(Chunk c) {
        upstream.dataArrived(System.nanoTime());
        bytesIn.addAndGet(c.length());
        fanOut.write(c);
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
     * Climbs the recovery ladder until data flows again; throws when it is exhausted. The first
     * attempt after a loss goes at once; each later one waits as {@link RecoveryWait} says.
     */
    private Chunk recover(RecoveryLadder ladder, String loss) throws IOException, InterruptedException {
        IOException last = null;
        Set<EnginePool.Slot> avoid = new HashSet<>();
        boolean atOnce = true;
        EnginePool.Slot refusing = null;
        while (true) {
            RecoveryLadder.Rung rung = ladder.next(upstream.hasEngineSession(), alternateCount > 1);
            if (rung == null) {
                String why = "recovery failed after " + loss
                        + (last == null ? "" : "; last error: " + last.getMessage());
                throw new IOException(why, last);
            }
            int attempt = ladder.attempt(rung);
            Duration backoff = RecoveryWait.before(settings.retry().backoff(attempt, random), atOnce, refusing,
                    owner.hasPlayers());
            listener.recovering(key, rung.label, attempt, backoff);
            RecoveryLadder.Rung r = rung;
            LOG.log(Level.DEBUG, () -> "session " + key + ": " + r.label + " attempt " + attempt + "/"
                    + ladder.maxAttempts() + " in " + backoff.toMillis() + " ms");
            wait.pause(backoff, refusing);
            atOnce = false;
            refusing = null;
            try {
                Chunk c = switch (rung) {
                    case RECONNECT -> connect(upstream.content(), false, avoid);
                    case NEW_SESSION -> connect(upstream.content(), true, avoid);
                    case FAILOVER -> {
                        moveToNextAlternate(loss);
                        yield connect(upstream.content(), true, avoid);
                    }
                };
                if (rung != RecoveryLadder.Rung.FAILOVER) {
                    reconnects.incrementAndGet();
                    owner.reconnected();
                }
                return c;
            } catch (ContentUnavailableException e) {
                last = e;
                if (rung == RecoveryLadder.Rung.NEW_SESSION && alternateCount > 1) {
                    // another alternate is more likely to play than this content again
                    ladder.exhaust(rung);
                }
            } catch (EngineUnavailableException e) {
                last = e;
                EnginePool.Slot s = upstream.slot();
                switch (EngineFault.of(e)) {
                    case REFUSED -> {
                        // the engine is down and forgot the session: another engine at once, or
                        // this one as soon as it answers
                        if (s != null) {
                            avoid.add(s);
                            refusing = engineGone(s, avoid);
                        }
                        atOnce = refusing == null;
                    }
                    // the engine restarted and forgot the session: ask for a new one at once
                    case SESSION_GONE -> atOnce = true;
                    case OTHER -> {
                        if (s != null && rung != RecoveryLadder.Rung.RECONNECT) {
                            avoid.add(s);
                        }
                    }
                }
            } catch (IOException e) {
                last = e;
            }
            if (upstream.stopping()) {
                throw new InterruptedException("session stopping");
            }
        }
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
                throw new ContentUnavailableException(alt + " is already played by another session");
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
