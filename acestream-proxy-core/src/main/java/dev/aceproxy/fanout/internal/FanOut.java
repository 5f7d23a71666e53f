package dev.aceproxy.fanout.internal;

import dev.aceproxy.fanout.PlayerStats;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.fanout.OverflowPolicy;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.internal.FastStartIndex;
import dev.aceproxy.ts.FastStartPolicy;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Fans one stream of chunks out to many clients, so that no client can slow down or harm another.
 *
 * <p>Each client is a {@link Player} with its own queue, bounded in bytes, and its own virtual
 * thread ({@code aceproxy-writer-<id>}) that drains the queue into the client's {@link ClientSink}
 * and flushes when the queue runs empty. {@link #write} offers the same immutable chunk to every
 * queue and never waits for a client; a client that falls behind its bound, or whose single write
 * blocks past the stall timeout, is handled by its {@link OverflowPolicy}. A watchdog virtual
 * thread ({@code aceproxy-fanout-watchdog-<n>}) looks for stalled writes.
 *
 * <p>Small upstream chunks are gathered per stream before they reach the queues, as a
 * {@link CoalescePolicy} says (by default up to 64 KiB or 100 ms), so that an engine that trickles
 * does not cost every client a wake-up and a system call per trickle; a flusher virtual thread
 * ({@code aceproxy-fanout-flusher-<n>}) hands out what waited long enough. The first chunk after
 * the stream (re)starts is never held.
 *
 * <p>Joining is atomic with respect to {@link #write}: a new client receives its start sequence
 * (with fast start, the program tables and the stream from the latest keyframe; without, nothing)
 * and then every later chunk, with no gap and no duplicate. All chunks are whole packets, so a
 * client never starts mid-packet.
 *
 * <p>Thread-safe. One lock orders writes, joins and removals; it is never held while anything
 * blocks: not across a sink's write, flush or close, and not while waiting for a thread.
 */
public final class FanOut implements AutoCloseable {

    /** How long {@link #close()} lets each writer drain its queue. */
    public static final Duration DEFAULT_DRAIN_DEADLINE = Duration.ofSeconds(2);

    /** After the drain deadline, how long to wait for writers whose sinks were closed. */
    private static final Duration FORCED_END_GRACE = Duration.ofSeconds(1);
    private static final long MIN_WATCHDOG_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_WATCHDOG_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final PlayerQueue[] NO_WRITERS = new PlayerQueue[0];
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final System.Logger LOG = System.getLogger(FanOut.class.getName());

    private enum State { OPEN, CLOSING, CLOSED }

    private final PlayerPolicy policy;
    private final FastStartIndex index;
    private final ChunkCoalescer coalescer;
    private final StartBacklog startBacklog;
    private final long instance = INSTANCES.incrementAndGet();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong writerIds = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final PlayerQueue.Owner owner = this::detach;

    private volatile PlayerQueue[] writers = NO_WRITERS;
    private volatile State state = State.OPEN;
    private volatile long watchdogTickNanos = MAX_WATCHDOG_TICK_NANOS;
    private volatile Thread flusher;
    // Guarded by lock.
    private Thread watchdog;
    private boolean upstreamStarted;
    private boolean tablesPending;
    private long keyframesSeen;

    /**
     * Creates a fan-out with {@link PlayerPolicy#DEFAULT}, {@link FastStartPolicy#DEFAULT} and
     * {@link CoalescePolicy#DEFAULT}.
     */
    public FanOut() {
        this(PlayerPolicy.DEFAULT, FastStartPolicy.DEFAULT);
    }

    /**
     * Creates a fan-out that gathers small chunks as {@link CoalescePolicy#DEFAULT} says.
     *
     * @param policy the policy of writers added without one of their own
     * @param fastStart how late joiners start
     * @throws NullPointerException if an argument is null
     */
    public FanOut(PlayerPolicy policy, FastStartPolicy fastStart) {
        this(policy, fastStart, CoalescePolicy.DEFAULT);
    }

    /**
     * Creates a fan-out.
     *
     * @param policy the policy of writers added without one of their own
     * @param fastStart how late joiners start
     * @param coalesce how small upstream chunks are gathered before they reach the clients
     * @throws NullPointerException if an argument is null
     */
    public FanOut(PlayerPolicy policy, FastStartPolicy fastStart, CoalescePolicy coalesce) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.index = new FastStartIndex(Objects.requireNonNull(fastStart, "fastStart"));
        this.startBacklog = new StartBacklog(fastStart.maxBytes(), fastStart.window().toNanos());
        this.coalescer = Objects.requireNonNull(coalesce, "coalesce").enabled() ? new ChunkCoalescer(coalesce) : null;
    }

    /**
     * Returns the default writer policy.
     *
     * @return the policy given at construction
     */
    public PlayerPolicy policy() {
        return policy;
    }

    /**
     * Returns the index that decides where late joiners start; the fan-out feeds it every chunk.
     *
     * @return the fast start index
     */
    public FastStartIndex fastStartIndex() {
        return index;
    }

    /**
     * Adds a client with the default writer policy.
     *
     * @param sink the client; the writer owns it from now on and closes it exactly once
     * @return the client's writer, already running
     * @throws NullPointerException if {@code sink} is null
     * @throws IllegalStateException if the fan-out is closed
     */
    public Player add(ClientSink sink) {
        return add(sink, policy);
    }

    /**
     * Adds a client. It starts with the program tables and the stream from the latest keyframe
     * when fast start knows one that fits in half its queue, else at the live edge, then receives
     * every chunk written after this call.
     *
     * @param sink the client; the writer owns it from now on and closes it exactly once
     * @param playerPolicy this client's bound and overflow policy
     * @return the client's writer, already running
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the fan-out is closed
     */
    public Player add(ClientSink sink, PlayerPolicy playerPolicy) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(playerPolicy, "playerPolicy");
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw new IllegalStateException("fan-out is closed");
            }
            PlayerQueue writer = new PlayerQueue(writerIds.incrementAndGet(), sink, playerPolicy, owner);
            startWriter(writer, playerPolicy.maxQueuedBytes() / 2);
            PlayerQueue[] current = writers;
            PlayerQueue[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = writer;
            writers = grown;
            // Starting a virtual thread only schedules it; nothing here waits.
            writer.start(Thread.ofVirtual()
                    .name("aceproxy-writer-" + writer.id())
                    .uncaughtExceptionHandler(FanOut::uncaught)
                    .unstarted(writer));
            startWatchdog(playerPolicy.stallTimeout());
            return writer;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives a new client a start a decoder can begin at: the program tables and the stream from the
     * latest keyframe; or, before the stream's first keyframe, everything since the upstream
     * (re)started (what the players who waited for the start must get); or else it waits for the
     * next keyframe. Without fast start, or while the stream's video is unknown, it starts at the
     * live edge. Lock held.
     */
    private void startWriter(PlayerQueue writer, long maxBytes) {
        if (!index.policy().enabled()) {
            return;
        }
        List<Chunk> fromKeyframe = index.startSequence(maxBytes);
        if (!fromKeyframe.isEmpty()) {
            writer.offerStart(fromKeyframe);
            return;
        }
        List<Chunk> sinceStart = startBacklog.sinceStart(maxBytes);
        if (sinceStart != null) {
            writer.offerStart(sinceStart);
        } else if (index.videoPid().isPresent()) {
            writer.awaitKeyframe();
        }
    }

    /**
     * Offers {@code chunk} to every client and records it for fast start. Never blocks on any
     * client: a client that cannot take it is handled by its overflow policy. Does nothing once
     * the fan-out is closing.
     *
     * @param chunk the next chunk of the stream
     * @throws NullPointerException if {@code chunk} is null
     */
    public void write(Chunk chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (chunk.isEmpty()) {
            return;
        }
        List<PlayerQueue> removed = null;
        boolean wakeFlusher = false;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            if (coalescer == null || !upstreamStarted) {
                upstreamStarted = true;
                removed = distribute(chunk, null);
            } else {
                boolean wasEmpty = coalescer.isEmpty();
                for (Chunk ready : coalescer.add(chunk, System.nanoTime())) {
                    removed = distribute(ready, removed);
                }
                wakeFlusher = wasEmpty && !coalescer.isEmpty();
            }
        } finally {
            lock.unlock();
        }
        if (wakeFlusher) {
            wakeFlusher();
        }
        closeSinks(removed);
    }

    /**
     * Hands one chunk to every queue and records it for fast start. Lock held; never blocks.
     *
     * @param chunk the chunk, not empty
     * @param removed writers already removed by the caller, or {@code null}
     * @return every writer removed so far, whose sinks the caller closes outside the lock
     */
    private List<PlayerQueue> distribute(Chunk chunk, List<PlayerQueue> removed) {
        index.observe(chunk);
        long keyframes = index.keyframes();
        boolean newKeyframe = keyframes != keyframesSeen;
        keyframesSeen = keyframes;
        boolean keyframesKnown = index.hasKeyframe();
        Chunk tables = null;
        boolean restarted = tablesPending;
        if (tablesPending) {
            tablesPending = false;
            tables = index.programTables().orElse(null);
        }
        if (index.policy().enabled()) {
            // A client who joins before the next keyframe gets what the others got, in that order.
            long now = System.nanoTime();
            if (tables != null) {
                startBacklog.record(tables, now);
            }
            startBacklog.record(chunk, now);
        }
        List<Chunk> resume = null;
        long resumeBytes = 0;
        List<PlayerQueue> gone = null;
        for (PlayerQueue writer : writers) {
            boolean keep = (!restarted || writer.offerUpstreamRestart())
                    && (tables == null || writer.offerControl(tables));
            if (keep && newKeyframe && writer.awaitingKeyframe()) {
                if (resume == null) {
                    resume = index.startSequence();
                    resumeBytes = bytes(resume);
                }
                keep = writer.resume(resume, resumeBytes, chunk);
            } else if (keep) {
                keep = writer.offer(chunk, keyframesKnown);
            }
            if (!keep) {
                gone = gone == null ? new ArrayList<>() : gone;
                gone.add(writer);
            }
        }
        return removeAll(gone, removed);
    }

    /**
     * Applies {@code accepts} to every writer and removes those it refuses. Lock held.
     *
     * @param removed writers already removed by the caller, or {@code null}
     * @return every writer removed so far, whose sinks the caller closes outside the lock
     */
    private List<PlayerQueue> removeRefusing(Predicate<PlayerQueue> accepts, List<PlayerQueue> removed) {
        List<PlayerQueue> gone = null;
        for (PlayerQueue writer : writers) {
            if (!accepts.test(writer)) {
                gone = gone == null ? new ArrayList<>() : gone;
                gone.add(writer);
            }
        }
        return removeAll(gone, removed);
    }

    /** Removes {@code gone} (may be null) and adds it to {@code removed}. Lock held. */
    private List<PlayerQueue> removeAll(List<PlayerQueue> gone, List<PlayerQueue> removed) {
        if (gone == null) {
            return removed;
        }
        removeAll(gone);
        if (removed == null) {
            return gone;
        }
        removed.addAll(gone);
        return removed;
    }

    /** Hands out whatever the coalescer holds. Lock held. */
    private List<PlayerQueue> distributeHeld(List<PlayerQueue> removed) {
        Chunk held = coalescer == null ? null : coalescer.drain();
        return held == null ? removed : distribute(held, removed);
    }

    private void wakeFlusher() {
        Thread thread = flusher;
        if (thread == null) {
            lock.lock();
            try {
                if (flusher == null && state == State.OPEN) {
                    flusher = Thread.ofVirtual()
                            .name("aceproxy-fanout-flusher-" + instance)
                            .uncaughtExceptionHandler(FanOut::uncaught)
                            .start(this::flushHeldWhenDue);
                }
                return;
            } finally {
                lock.unlock();
            }
        }
        LockSupport.unpark(thread);
    }

    /** The flusher's loop: hands out held bytes once the oldest has waited long enough. */
    private void flushHeldWhenDue() {
        while (true) {
            List<PlayerQueue> removed = null;
            long waitNanos;
            lock.lock();
            try {
                if (state != State.OPEN) {
                    return;
                }
                long deadline = coalescer.deadlineNanos();
                long now = System.nanoTime();
                if (deadline != ChunkCoalescer.NO_DEADLINE && deadline - now <= 0) {
                    removed = distributeHeld(null);
                    waitNanos = 0;
                } else {
                    waitNanos = deadline == ChunkCoalescer.NO_DEADLINE ? -1 : deadline - now;
                }
            } finally {
                lock.unlock();
            }
            closeSinks(removed);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            if (waitNanos < 0) {
                LockSupport.park(this);
            } else if (waitNanos > 0) {
                LockSupport.parkNanos(this, waitNanos);
            }
        }
    }

    /**
     * Offers filler (e.g. {@link dev.aceproxy.ts.TsPackets#nullPackets(int)}) to every client,
     * while the upstream is silent. Not recorded for fast start. Does nothing once closing.
     *
     * @param filler the filler chunk
     * @throws NullPointerException if {@code filler} is null
     */
    public void writeKeepalive(Chunk filler) {
        Objects.requireNonNull(filler, "filler");
        if (filler.isEmpty()) {
            return;
        }
        List<PlayerQueue> removed = null;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return;
            }
            removed = removeRefusing(writer -> writer.offerControl(filler), distributeHeld(null));
        } finally {
            lock.unlock();
        }
        closeSinks(removed);
    }

    /**
     * Tells the fan-out that a new upstream replaced the old one: the replay window is forgotten
     * (new joiners start at the live edge until the next keyframe), and the next chunk written is
     * preceded, for every client, by the latest program tables.
     */
    public void upstreamRestarted() {
        List<PlayerQueue> removed = null;
        lock.lock();
        try {
            if (state == State.OPEN) {
                removed = distributeHeld(null);
            }
            index.reset();
            startBacklog.restart();
            tablesPending = true;
            upstreamStarted = false;
        } finally {
            lock.unlock();
        }
        closeSinks(removed);
    }

    /**
     * Tells whether every client is backed up: each one still open has at least half its queue
     * waiting. An upstream reader that waits while this holds reads no faster than the fastest
     * client takes the stream, so that an engine's burst (it releases its buffered window at link
     * speed) is not pushed into queues faster than any client drains them. A client that falls a
     * whole queue behind the fastest is still handled by its overflow policy, so no client holds
     * back the others. Never blocks.
     *
     * @return {@code false} when there is no open client, or when one has room
     */
    public boolean clientsBackedUp() {
        boolean anyOpen = false;
        for (PlayerQueue writer : writers) {
            if (writer.isOpen()) {
                if (!writer.isBackedUp()) {
                    return false;
                }
                anyOpen = true;
            }
        }
        return anyOpen;
    }

    /**
     * Tells whether a client is catching up: backed up (half its queue waiting) for less than
     * {@code grace}. A new client whose thread has not written yet, or one held up for a moment,
     * is then not cut off just because the upstream bursts at the pace of the fastest client: the
     * upstream waits for it. A client backed up for longer is slower than the stream, and the
     * upstream no longer waits for it (its overflow policy applies when its queue is full).
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @param grace how long a backed-up client counts as catching up
     * @return {@code true} when an open client is catching up
     */
    public boolean clientCatchingUp(long nowNanos, Duration grace) {
        boolean any = false;
        long graceNanos = grace.toNanos();
        for (PlayerQueue writer : writers) {
            // Every writer is asked, so that each one's "backed up since" stays current.
            any |= writer.isCatchingUp(nowNanos, graceNanos);
        }
        return any;
    }

    /**
     * Returns the number of clients.
     *
     * @return clients currently attached
     */
    public int playerCount() {
        return writers.length;
    }

    /**
     * Returns a snapshot of every attached client.
     *
     * @return the clients' figures, in the order they joined
     */
    public List<PlayerStats> stats() {
        PlayerQueue[] current = writers;
        List<PlayerStats> stats = new ArrayList<>(current.length);
        for (PlayerQueue writer : current) {
            stats.add(writer.stats());
        }
        return List.copyOf(stats);
    }

    /**
     * Ends every client: each drains what it has queued, for at most {@code drainDeadline}, then
     * its sink is closed (exactly once) and its thread ends. Returns when every writer has ended,
     * or, if a sink ignores being closed, shortly after. Later writes are ignored and later adds
     * fail. A second call waits for the first.
     *
     * <p>If the calling thread is interrupted, the remaining clients are cut off at once and the
     * interrupt status is kept.
     *
     * @param reason recorded for every client that has no other reason
     * @param drainDeadline how long the clients may drain
     * @throws NullPointerException if an argument is null
     */
    public void close(EndReason reason, Duration drainDeadline) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(drainDeadline, "drainDeadline");
        PlayerQueue[] ending;
        Thread watchdogThread;
        List<PlayerQueue> removed = null;
        lock.lock();
        try {
            if (state != State.OPEN) {
                ending = null;
                watchdogThread = null;
            } else {
                // The stream's tail is handed out before every writer is told to drain and end.
                removed = distributeHeld(null);
                state = State.CLOSING;
                ending = writers;
                writers = NO_WRITERS;
                watchdogThread = watchdog;
                for (PlayerQueue writer : ending) {
                    writer.requestEnd(reason);
                }
            }
        } finally {
            lock.unlock();
        }
        if (ending == null) {
            awaitOtherClose(drainDeadline.plus(FORCED_END_GRACE).multipliedBy(2));
            return;
        }
        closeSinks(removed);
        Thread flusherThread = flusher;
        try {
            if (watchdogThread != null) {
                watchdogThread.interrupt();
            }
            if (flusherThread != null) {
                flusherThread.interrupt();
            }
            long deadline = System.nanoTime() + drainDeadline.toNanos();
            boolean interrupted = !awaitEnded(ending, deadline);
            for (PlayerQueue writer : ending) {
                if (!writer.ended().isDone()) {
                    writer.requestAbort(reason);
                    writer.closeSink();
                }
            }
            if (!interrupted) {
                interrupted = !awaitEnded(ending, System.nanoTime() + FORCED_END_GRACE.toNanos());
            }
            for (PlayerQueue writer : ending) {
                if (!writer.ended().isDone()) {
                    LOG.log(Level.WARNING, "writer {0}: sink did not unblock on close; interrupting",
                            writer.id());
                    writer.interrupt();
                }
            }
            if (!interrupted && watchdogThread != null) {
                interrupted = !join(watchdogThread, FORCED_END_GRACE);
            }
            if (!interrupted && flusherThread != null) {
                interrupted = !join(flusherThread, FORCED_END_GRACE);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            state = State.CLOSED;
            closed.complete(null);
        }
    }

    /** Same as {@code close(EndReason.SHUTDOWN, DEFAULT_DRAIN_DEADLINE)}. */
    @Override
    public void close() {
        close(EndReason.SHUTDOWN, DEFAULT_DRAIN_DEADLINE);
    }

    private void detach(PlayerQueue writer) {
        lock.lock();
        try {
            removeAll(List.of(writer));
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. */
    private void removeAll(List<PlayerQueue> gone) {
        PlayerQueue[] current = writers;
        PlayerQueue[] kept = new PlayerQueue[current.length];
        int count = 0;
        for (PlayerQueue writer : current) {
            if (!gone.contains(writer)) {
                kept[count++] = writer;
            }
        }
        if (count != current.length) {
            writers = count == 0 ? NO_WRITERS : Arrays.copyOf(kept, count);
        }
    }

    private static void closeSinks(List<PlayerQueue> removed) {
        if (removed != null) {
            for (PlayerQueue writer : removed) {
                writer.closeSink();
            }
        }
    }

    private static long bytes(List<Chunk> chunks) {
        long total = 0;
        for (Chunk chunk : chunks) {
            total += chunk.length();
        }
        return total;
    }

    /** Lock held. */
    private void startWatchdog(Duration stallTimeout) {
        long tick = Math.clamp(stallTimeout.toNanos() / 4, MIN_WATCHDOG_TICK_NANOS, MAX_WATCHDOG_TICK_NANOS);
        if (tick < watchdogTickNanos) {
            watchdogTickNanos = tick;
        }
        if (watchdog == null) {
            watchdog = Thread.ofVirtual()
                    .name("aceproxy-fanout-watchdog-" + instance)
                    .uncaughtExceptionHandler(FanOut::uncaught)
                    .start(this::watch);
        }
    }

    private void watch() {
        while (state == State.OPEN) {
            try {
                TimeUnit.NANOSECONDS.sleep(watchdogTickNanos);
            } catch (InterruptedException e) {
                return;
            }
            List<PlayerQueue> removed = null;
            lock.lock();
            try {
                if (state != State.OPEN) {
                    return;
                }
                long now = System.nanoTime();
                boolean keyframesKnown = index.hasKeyframe();
                removed = removeRefusing(writer -> writer.checkStall(now, keyframesKnown), null);
            } finally {
                lock.unlock();
            }
            closeSinks(removed);
        }
    }

    /** Returns false if interrupted. */
    private static boolean awaitEnded(PlayerQueue[] ending, long deadlineNanos) {
        for (PlayerQueue writer : ending) {
            long left = deadlineNanos - System.nanoTime();
            try {
                writer.ended().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Not ended in time: the caller forces it.
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void awaitOtherClose(Duration timeout) {
        try {
            closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException e) {
            LOG.log(Level.DEBUG, "fan-out {0}: concurrent close still running", instance);
        }
    }

    private static void uncaught(Thread thread, Throwable failure) {
        LOG.log(Level.ERROR, "uncaught failure on " + thread.getName(), failure);
    }

    /**
     * Describes the fan-out.
     *
     * @return its instance number and client count
     */
    @Override
    public String toString() {
        return "FanOut[" + instance + ", " + playerCount() + " writers, " + state + "]";
    }
}
