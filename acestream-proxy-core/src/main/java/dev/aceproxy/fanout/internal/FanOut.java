package dev.aceproxy.fanout.internal;

import dev.aceproxy.fanout.PlayerStats;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.fanout.OverflowPolicy;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.FastStartPolicy;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

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
 * {@link CoalescePolicy} says (by default up to 128 KiB or 200 ms), so that an engine that trickles
 * does not cost every client a wake-up and a system call per trickle; a flusher virtual thread
 * ({@code aceproxy-fanout-flusher-<n>}) hands out what waited long enough. The first chunk after
 * the stream (re)starts is never held.
 *
 * <p>Joining is atomic with respect to {@link #write}: a new client receives its start sequence
 * (with fast start, the program tables and the stream from the latest keyframe; without, nothing)
 * and then every later chunk, with no gap and no duplicate. All chunks are whole packets, so a
 * client never starts mid-packet.
 *
 * <p>Its parts: {@link PlayerList} holds the players, {@link SlowPlayer} decides everything about
 * a player that cannot keep up, the {@link ChunkCoalescer} gathers and {@link HeldChunkFlusher}
 * hands out what waited, {@link StallWatchdog} looks for blocked writes, and {@link PlayerQueue}
 * is one player's queue and thread. This class distributes, admits players and closes.
 *
 * <p>Thread-safe. One lock orders writes, joins and removals; it is never held while anything
 * blocks: not across a sink's write, flush or close, and not while waiting for a thread. Sinks
 * that write without blocking are handed what was queued for them right after the lock is
 * released, by the thread that queued it, while their writer threads wait for work
 * ({@link PlayerQueue#handOut()}): a player that keeps up costs no thread switch per chunk.
 */
public final class FanOut implements AutoCloseable {

    /** How long {@link #close()} lets each writer drain its queue. */
    public static final Duration DEFAULT_DRAIN_DEADLINE = Duration.ofSeconds(2);

    /** After the drain deadline, how long to wait for writers whose sinks were closed. */
    static final Duration FORCED_END_GRACE = Duration.ofSeconds(1);
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final System.Logger LOG = System.getLogger(FanOut.class.getName());

    private enum State { OPEN, CLOSING, CLOSED }

    private final PlayerPolicy policy;
    private final ChunkCoalescer coalescer;
    private final long instance = INSTANCES.incrementAndGet();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong playerIds = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final PlayerQueue.Owner owner = new PlayerQueue.Owner() {
        @Override
        public void detach(PlayerQueue writer) {
            FanOut.this.detach(writer);
        }

        @Override
        public void handOutAfterUnlock(PlayerQueue writer) {
            assert lock.isHeldByCurrentThread() : "a chunk queued without the fan-out's lock";
            handOuts = handOuts == null ? new ArrayList<>() : handOuts;
            handOuts.add(writer);
        }
    };
    private final PlayerList players = new PlayerList();
    private final Distributor distributor;
    private final HeldChunkFlusher flusher = new HeldChunkFlusher("aceproxy-fanout-flusher-" + instance,
            this::flushHeldIfDue);
    private final StallWatchdog watchdog = new StallWatchdog("aceproxy-fanout-watchdog-" + instance,
            this::checkStalls);

    private volatile State state = State.OPEN;
    // Guarded by lock.
    private boolean upstreamStarted;
    /** Players with chunks queued for a hand-out once the lock is released; guarded by lock. */
    private List<PlayerQueue> handOuts;

    /**
     * Creates a fan-out.
     *
     * @param policy the policy of players added without one of their own
     * @param fastStart how late joiners start
     * @param coalesce how small upstream chunks are gathered before they reach the players
     * @throws NullPointerException if an argument is null
     */
    public FanOut(PlayerPolicy policy, FastStartPolicy fastStart, CoalescePolicy coalesce) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.distributor = new Distributor(Objects.requireNonNull(fastStart, "fastStart"), players);
        this.coalescer = Objects.requireNonNull(coalesce, "coalesce").enabled() ? new ChunkCoalescer(coalesce) : null;
    }

    /**
     * Tells whether a player joining now would start at a keyframe (with the program tables before
     * it) within {@code maxBytes} of the live edge. Read-only: the index stays the fan-out's own.
     *
     * @param maxBytes the most bytes the start may take
     * @return {@code true} when such a start is held
     */
    public boolean keyframeStartHeld(long maxBytes) {
        lock.lock();
        try {
            return distributor.keyframeStartHeld(maxBytes);
        } finally {
            unlock();
        }
    }

    /**
     * Adds a player with the default policy.
     *
     * @param sink the player; the fan-out owns it from now on and closes it exactly once
     * @return the player, already running
     * @throws NullPointerException if {@code sink} is null
     * @throws IllegalStateException if the fan-out is closed
     */
    public Player add(ClientSink sink) {
        return add(sink, policy);
    }

    /**
     * Adds a player. It starts with the program tables and the stream from the latest keyframe
     * when fast start knows one that fits in half its queue, else at the live edge, then receives
     * every chunk written after this call.
     *
     * @param sink the player; the fan-out owns it from now on and closes it exactly once
     * @param playerPolicy this player's bound and overflow policy
     * @return the player, already running
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
            PlayerQueue player = new PlayerQueue(playerIds.incrementAndGet(), sink, playerPolicy, owner);
            distributor.giveStart(player, playerPolicy.maxQueuedBytes() / 2);
            players.add(player);
            // Starting a virtual thread only schedules it; nothing here waits.
            player.start(Thread.ofVirtual()
                    .name("aceproxy-writer-" + player.id())
                    .uncaughtExceptionHandler(FanOut::uncaught)
                    .unstarted(player));
            watchdog.cover(playerPolicy.stallTimeout());
            return player;
        } finally {
            unlock();
        }
    }

    /**
     * Offers {@code chunk} to every player and records it for fast start. Never blocks on any
     * player: one that cannot take it is handled by the {@link SlowPlayer} rules. Does nothing once
     * the fan-out is closing.
     *
     * @param chunk the next chunk of the stream
     * @throws NullPointerException if {@code chunk} is null
     */
    public void write(Chunk chunk) {
        write(chunk, false);
    }

    /**
     * Like {@link #write(Chunk)}; with {@code handOutNow}, the chunk and whatever the gatherer
     * holds go to the players at once instead of waiting to be gathered further: the caller knows
     * the bytes waited long enough already (the pump paused one gathering delay before reading
     * them).
     *
     * @param chunk the next chunk of the stream
     * @param handOutNow whether to hand out what is gathered, this chunk included, now
     * @throws NullPointerException if {@code chunk} is null
     */
    public void write(Chunk chunk, boolean handOutNow) {
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
                removed = distributor.distribute(chunk, null);
            } else {
                boolean wasEmpty = coalescer.isEmpty();
                for (Chunk ready : coalescer.add(chunk, System.nanoTime())) {
                    removed = distributor.distribute(ready, removed);
                }
                if (handOutNow) {
                    removed = distributeHeld(removed);
                }
                wakeFlusher = wasEmpty && !coalescer.isEmpty();
            }
        } finally {
            unlock();
        }
        if (wakeFlusher) {
            wakeFlusher();
        }
        PlayerList.closeSinks(removed);
    }

    /** Hands out whatever the coalescer holds. Lock held. */
    private List<PlayerQueue> distributeHeld(List<PlayerQueue> removed) {
        Chunk held = coalescer == null ? null : coalescer.drain();
        return held == null ? removed : distributor.distribute(held, removed);
    }

    private void wakeFlusher() {
        if (flusher.started()) {
            flusher.wake(false);
            return;
        }
        lock.lock();
        try {
            flusher.wake(state == State.OPEN);
        } finally {
            unlock();
        }
    }

    /** The flusher's step: hands out held bytes once the oldest has waited long enough. */
    private long flushHeldIfDue() {
        List<PlayerQueue> removed = null;
        long waitNanos;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return HeldChunkFlusher.Target.CLOSED;
            }
            long deadline = coalescer.deadlineNanos();
            long now = System.nanoTime();
            if (deadline != ChunkCoalescer.NO_DEADLINE && deadline - now <= 0) {
                removed = distributeHeld(null);
                waitNanos = 0;
            } else {
                waitNanos = deadline == ChunkCoalescer.NO_DEADLINE
                        ? HeldChunkFlusher.Target.NOTHING_HELD : deadline - now;
            }
        } finally {
            unlock();
        }
        PlayerList.closeSinks(removed);
        return waitNanos;
    }

    /** The watchdog's step: applies the stall rule to every player. */
    private boolean checkStalls() {
        List<PlayerQueue> removed;
        lock.lock();
        try {
            if (state != State.OPEN) {
                return false;
            }
            long now = System.nanoTime();
            boolean keyframesKnown = distributor.keyframesKnown();
            removed = players.removeRefusing(player -> player.rules().checkStall(now, keyframesKnown), null);
        } finally {
            unlock();
        }
        PlayerList.closeSinks(removed);
        return true;
    }

    /**
     * Offers filler (e.g. {@link dev.aceproxy.ts.TsPackets#nullPackets(int)}) to every player,
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
            removed = players.removeRefusing(player -> player.rules().offerControl(filler), distributeHeld(null));
        } finally {
            unlock();
        }
        PlayerList.closeSinks(removed);
    }

    /**
     * Tells the fan-out that a new upstream replaced the old one: the replay window is forgotten
     * (new joiners start at the live edge until the next keyframe), and the next chunk written is
     * preceded, for every player, by the latest program tables.
     */
    public void upstreamRestarted() {
        List<PlayerQueue> removed = null;
        lock.lock();
        try {
            if (state == State.OPEN) {
                removed = distributeHeld(null);
            }
            distributor.upstreamRestarted();
            upstreamStarted = false;
        } finally {
            unlock();
        }
        PlayerList.closeSinks(removed);
    }

    /**
     * Tells whether every player is backed up: each one still open has at least half its queue
     * waiting. An upstream reader that waits while this holds reads no faster than the fastest
     * player takes the stream, so that an engine's burst (it releases its buffered window at link
     * speed) is not pushed into queues faster than any player drains them. A player that falls a
     * whole queue behind the fastest is still handled by the slow-player rules, so no player holds
     * back the others. Never blocks.
     *
     * @return {@code false} when there is no open player, or when one has room
     */
    public boolean clientsBackedUp() {
        return players.allBackedUp();
    }

    /**
     * Tells whether a player is catching up: backed up (half its queue waiting) for less than
     * {@code grace}. A new player whose thread has not written yet, or one held up for a moment,
     * is then not cut off just because the upstream bursts at the pace of the fastest player: the
     * upstream waits for it. A player backed up for longer is slower than the stream, and the
     * upstream no longer waits for it (the slow-player rules apply when its queue is full).
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @param grace how long a backed-up player counts as catching up
     * @return {@code true} when an open player is catching up
     */
    public boolean clientCatchingUp(long nowNanos, Duration grace) {
        return players.anyCatchingUp(nowNanos, grace.toNanos());
    }

    /**
     * Returns the number of players.
     *
     * @return players currently attached
     */
    public int playerCount() {
        return players.size();
    }

    /**
     * Returns a snapshot of every attached player.
     *
     * @return the players' figures, in the order they joined
     */
    public List<PlayerStats> stats() {
        return players.stats();
    }

    /**
     * Ends every player: each drains what it has queued, for at most {@code drainDeadline}, then
     * its sink is closed (exactly once) and its thread ends. Returns when every player has ended,
     * or, if a sink ignores being closed, shortly after. Later writes are ignored and later adds
     * fail. A second call waits for the first.
     *
     * <p>If the calling thread is interrupted, the remaining players are cut off at once and the
     * interrupt status is kept.
     *
     * @param reason recorded for every player that has no other reason
     * @param drainDeadline how long the players may drain
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
                // The stream's tail is handed out before every player is told to drain and end.
                removed = distributeHeld(null);
                state = State.CLOSING;
                ending = players.takeAll();
                watchdogThread = watchdog.stop();
                for (PlayerQueue player : ending) {
                    player.requestEnd(reason);
                }
            }
        } finally {
            unlock();
        }
        if (ending == null) {
            awaitOtherClose(drainDeadline.plus(FORCED_END_GRACE).multipliedBy(2));
            return;
        }
        PlayerList.closeSinks(removed);
        Thread flusherThread = flusher.stop();
        try {
            PlayerShutdown.endAll(ending, reason, drainDeadline, watchdogThread, flusherThread);
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


    /**
     * Releases the lock; on the last release, writes what was just queued for players whose writer
     * waits ({@link PlayerQueue#handOut()}), without the lock and without blocking.
     */
    private void unlock() {
        List<PlayerQueue> owed = null;
        if (lock.getHoldCount() == 1 && handOuts != null) {
            owed = handOuts;
            handOuts = null;
            for (PlayerQueue player : owed) {
                player.handOutTaken();
            }
        }
        lock.unlock();
        if (owed != null) {
            for (PlayerQueue player : owed) {
                player.handOut();
            }
        }
    }

    private void detach(PlayerQueue player) {
        lock.lock();
        try {
            players.removeAll(List.of(player));
        } finally {
            unlock();
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

    static void uncaught(Thread thread, Throwable failure) {
        LOG.log(Level.ERROR, "uncaught failure on " + thread.getName(), failure);
    }

    /**
     * Describes the fan-out.
     *
     * @return its instance number and player count
     */
    @Override
    public String toString() {
        return "FanOut[" + instance + ", " + playerCount() + " players, " + state + "]";
    }
}
