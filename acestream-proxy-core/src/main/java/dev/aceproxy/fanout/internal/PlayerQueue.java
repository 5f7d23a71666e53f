package dev.aceproxy.fanout.internal;

import dev.aceproxy.fanout.ChunkSink;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.fanout.PlayerStats;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.TsPackets;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One client: a queue bounded in bytes, drained into the client's sink by the client's own thread.
 *
 * <p>Producer side ({@link #offerStart}, {@link #offerUpstreamRestart} and the {@link SlowPlayer}
 * rules, which decide everything else that is queued): called by the fan-out with its lock held,
 * one caller at a time; never blocks. It wakes the writer thread only when that
 * thread is parked on an empty queue, so at high rates a busy writer is not woken per chunk.
 *
 * <p>Hand-out: when the sink {@linkplain ClientSink#writesWithoutBlocking writes without
 * blocking}, queuing does not wake the writer at all. The fan-out, once it has released its lock,
 * calls {@link #handOut()}, and while the writer waits for work that thread writes the queued
 * chunks itself with {@link ClientSink#tryWrite}; the writer is woken only when the connection
 * took part of a chunk (it sends the rest, blocking), or for the end. Exactly one thread uses the
 * sink at a time: the writer from when it wakes until it parks again, a handing-out thread only
 * while it holds the sink (an atomic claim), so the order of the queue is the order on the wire.
 *
 * <p>Ending: {@link #requestEnd} queues a terminal sentinel after which the thread flushes and
 * ends (a graceful drain); {@link #requestAbort} stops the thread after its current write, and the
 * caller then calls {@link #closeSink()} outside any lock to unblock that write. The sink is closed
 * exactly once, by whichever comes first. {@link #ended()} completes after both the thread has
 * finished and the sink's {@code close} has returned.
 */
public final class PlayerQueue implements Player, Runnable {

    private static final System.Logger LOG = System.getLogger(PlayerQueue.class.getName());

    /** Terminal sentinel: the only empty chunk that is ever queued. */
    private static final Chunk END = Chunk.empty();
    // Marks, in queue order, where a new upstream replaced the old one; known by identity, only
    // queued for a ChunkSink and never written.
    private static final Chunk UPSTREAM_RESTART = TsPackets.nullPackets(1);

    /** The fan-out, as a writer sees it. */
    public interface Owner {
        /**
         * Removes the writer from the fan-out; idempotent. Called when the writer leaves on its own.
         *
         * @param writer the writer that ends
         */
        void detach(PlayerQueue writer);

        /**
         * Asks for {@link #handOut()} to be called once the fan-out's lock is released; called with
         * that lock held, at most once between two hand-outs.
         *
         * @param writer the writer with something newly queued
         */
        void handOutAfterUnlock(PlayerQueue writer);
    }

    /** Who uses the sink now: nobody, the writer thread, or a thread handing out chunks. */
    private static final int FREE = 0;
    private static final int WRITER = 1;
    private static final int HANDER = 2;

    private final long id;
    private final ClientSink sink;
    private final PlayerPolicy policy;
    private final Owner owner;
    private final Instant connectedSince = Instant.now();
    private final ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong chunksSkipped = new AtomicLong();
    private final AtomicLong bytesSkipped = new AtomicLong();
    private final AtomicReference<EndReason> endReason = new AtomicReference<>();
    private final AtomicBoolean sinkClosed = new AtomicBoolean();
    /** Counts down the thread's finish and the sink's close; at zero the writer has ended. */
    private final AtomicInteger endSteps = new AtomicInteger(2);
    private final CompletableFuture<EndReason> ended = new CompletableFuture<>();

    private volatile long bytesWritten;
    /** Where the player is in its life; only ever moves forward. */
    private enum Life {
        /** Takes data. */
        RUNNING,
        /** Asked to end: drains what it has queued, then ends. Takes nothing more. */
        DRAINING,
        /** Cut off, or its thread finished: writes nothing more. */
        ABORTED
    }

    private final AtomicReference<Life> life = new AtomicReference<>(Life.RUNNING);
    /** Set while the thread parks on an empty queue: a wake-up optimisation, not a state. */
    private volatile boolean parked;
    private volatile Thread thread;
    /** {@code System.nanoTime()} when the current write or flush began (never 0), 0 when idle. */
    private volatile long busySince;

    private final SlowPlayer slow;

    /** Whether chunks are handed out to the sink without waking the writer. */
    private final boolean handsOut;
    /** The writer holds the sink from its start until it first waits for work. */
    private final AtomicInteger sinkUser = new AtomicInteger(WRITER);
    /** Guarded by the fan-out's lock: a hand-out is asked for and has not been taken yet. */
    private boolean handOutAsked;
    // Left for the writer by a handing-out thread, which set them while it held the sink.
    /** A queued chunk only the writer handles (the end), taken off the queue by a hand-out. */
    private volatile Chunk handedBack;
    /** The length of the chunk the sink kept part of in a hand-out, 0 when none. */
    private volatile long keptBytes;
    /** What a hand-out's write threw. */
    private volatile Throwable handOutFailure;

    /**
     * Creates a writer; {@link #start} runs it.
     *
     * @param id unique within the fan-out
     * @param sink the client
     * @param policy bound and overflow policy
     * @param owner the fan-out
     */
    public PlayerQueue(long id, ClientSink sink, PlayerPolicy policy, Owner owner) {
        this.id = id;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.slow = new SlowPlayer(policy, new Backlog());
        this.handsOut = sink.writesWithoutBlocking() && !(sink instanceof ChunkSink);
    }

    /**
     * Starts the writer on {@code writerThread}, which must run this writer.
     *
     * @param writerThread an unstarted thread whose task is this writer
     */
    public void start(Thread writerThread) {
        this.thread = writerThread;
        writerThread.start();
    }

    /**
     * Returns the writer's policy.
     *
     * @return the policy
     */
    public PlayerPolicy policy() {
        return policy;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public PlayerStats stats() {
        return new PlayerStats(id, connectedSince, bytesWritten, queuedBytes.get(),
                chunksSkipped.get(), bytesSkipped.get(), Optional.ofNullable(endReason.get()));
    }

    @Override
    public boolean isOpen() {
        return endReason.get() == null;
    }

    @Override
    public void close(EndReason reason) {
        Objects.requireNonNull(reason, "reason");
        owner.detach(this);
        requestAbort(reason);
        closeSink();
    }

    @Override
    public CompletableFuture<EndReason> ended() {
        return ended;
    }

    // ---- producer side: fan-out lock held ----

    /**
     * Queues the start sequence of a new client; the fan-out sized it within the bound.
     *
     * @param chunks the chunks, in order
     */
    public void offerStart(List<Chunk> chunks) {
        for (Chunk chunk : chunks) {
            enqueue(chunk);
        }
    }

    /**
     * Tells a {@link ChunkSink}, in queue order, that a new upstream replaced the old one; does
     * nothing for any other sink.
     *
     * @return {@code false} when the client must be removed
     */
    public boolean offerUpstreamRestart() {
        if (!(sink instanceof ChunkSink)) {
            return true;
        }
        return slow.offerControl(UPSTREAM_RESTART);
    }

    /**
     * Returns the rules that decide what is queued for this player and what happens when it
     * cannot keep up; the fan-out calls them with its lock held.
     *
     * @return this player's slow-player rules
     */
    SlowPlayer rules() {
        return slow;
    }

    private boolean accepting() {
        return life.get() == Life.RUNNING;
    }

    private void countSkipped(Chunk chunk) {
        chunksSkipped.incrementAndGet();
        bytesSkipped.addAndGet(chunk.length());
    }

    private void enqueue(Chunk chunk) {
        queuedBytes.addAndGet(chunk.length());
        queue.offer(chunk);
        if (handsOut) {
            if (!handOutAsked) {
                handOutAsked = true;
                owner.handOutAfterUnlock(this);
            }
        } else if (parked) {
            LockSupport.unpark(thread);
        }
    }

    // ---- hand-out: the fan-out's lock released ----

    /**
     * Tells that the hand-out asked for is about to be made, so that the next chunk queued asks
     * again. Fan-out lock held.
     */
    public void handOutTaken() {
        handOutAsked = false;
    }

    /**
     * Writes what is queued without blocking when the writer thread waits for work, and wakes the
     * writer only for what is left (the rest of a chunk the connection did not take, the end, a
     * failure). Does nothing when the writer is busy: it finds the queue itself. Called without
     * the fan-out's lock, by the thread that queued; never blocks.
     */
    public void handOut() {
        if (!parked || !sinkUser.compareAndSet(FREE, HANDER)) {
            return;
        }
        boolean wake;
        try {
            wake = writeQueuedWithoutBlocking();
        } finally {
            sinkUser.set(FREE);
        }
        // What another thread queued while this one held the sink is the writer's to send.
        if (wake || !queue.isEmpty()) {
            LockSupport.unpark(thread);
        }
    }

    /** Holding the sink: writes queued chunks until one is not taken whole. Returns whether the writer has work. */
    private boolean writeQueuedWithoutBlocking() {
        if (!nothingLeftForWriter()) {
            return true;
        }
        while (life.get() != Life.ABORTED) {
            Chunk chunk = queue.poll();
            if (chunk == null) {
                return false;
            }
            // Markers are the writer's alone (a restart marker is queued only for a ChunkSink,
            // which is never handed out; the guard keeps it off the wire if that ever changes).
            if (chunk == END || chunk == UPSTREAM_RESTART) {
                handedBack = chunk;
                return true;
            }
            long length = chunk.length();
            boolean whole;
            try {
                whole = sink.tryWrite(chunk.buffer());
            } catch (IOException | RuntimeException e) {
                handOutFailure = e;
                return true;
            }
            if (!whole) {
                keptBytes = length;
                return true;
            }
            queuedBytes.addAndGet(-length);
            bytesWritten += length;
        }
        return true;
    }

    private boolean nothingLeftForWriter() {
        return handedBack == null && keptBytes == 0 && handOutFailure == null;
    }

    // ---- ending: any thread ----

    /**
     * Lets the writer drain what it has queued, then end with {@code reason}.
     *
     * @param reason recorded unless another reason came first
     */
    public void requestEnd(EndReason reason) {
        endReason.compareAndSet(null, reason);
        life.compareAndSet(Life.RUNNING, Life.DRAINING);
        queue.offer(END);
        LockSupport.unpark(thread);
    }

    /**
     * Stops the writer after its current write, dropping its queue. The caller must then call
     * {@link #closeSink()} (outside any lock) so that a blocked write returns.
     *
     * @param reason recorded unless another reason came first
     */
    public void requestAbort(EndReason reason) {
        endReason.compareAndSet(null, reason);
        life.set(Life.ABORTED);
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** Closes the sink unless it was closed before; never throws. */
    public void closeSink() {
        if (!sinkClosed.compareAndSet(false, true)) {
            return;
        }
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "writer " + id + ": sink failed to close", e);
        } finally {
            endStepDone();
        }
    }

    /** Interrupts the writer thread: the last resort when closing its sink did not unblock it. */
    public void interrupt() {
        Thread current = thread;
        if (current != null) {
            current.interrupt();
        }
    }

    // ---- consumer side: the writer's own thread ----

    /** Drains the queue into the sink until the end; called on the writer's thread only. */
    @Override
    public void run() {
        try {
            drain();
        } catch (IOException e) {
            endReason.compareAndSet(null, EndReason.CLIENT_CLOSED);
            LOG.log(Level.DEBUG, () -> "writer " + id + ": client gone: " + e);
        } catch (RuntimeException | Error e) {
            endReason.compareAndSet(null, EndReason.CLIENT_FAILED);
            LOG.log(Level.WARNING, () -> "writer " + id + ": sink failed", e);
        } finally {
            busySince = 0;
            endReason.compareAndSet(null, EndReason.CLIENT_CLOSED);
            life.set(Life.ABORTED);
            queue.clear();
            queuedBytes.set(0);
            owner.detach(this);
            closeSink();
            endStepDone();
        }
    }

    private void drain() throws IOException {
        boolean unflushed = false;
        while (life.get() != Life.ABORTED) {
            finishHandOut();
            Chunk chunk = handedBack;
            if (chunk != null) {
                handedBack = null;
            } else {
                chunk = queue.poll();
            }
            if (chunk == null) {
                if (unflushed) {
                    flush();
                    unflushed = false;
                    continue;
                }
                parked = true;
                if (handsOut) {
                    sinkUser.set(FREE);
                }
                if (queue.isEmpty() && nothingLeftForWriter() && life.get() != Life.ABORTED) {
                    LockSupport.park(this);
                }
                parked = false;
                if (handsOut) {
                    takeSink();
                }
                continue;
            }
            if (chunk == END) {
                if (unflushed) {
                    flush();
                }
                return;
            }
            busySince = System.nanoTime() | 1;
            if (chunk == UPSTREAM_RESTART) {
                ((ChunkSink) sink).upstreamRestarted();
                busySince = 0;
                queuedBytes.addAndGet(-chunk.length());
                continue;
            }
            if (sink instanceof ChunkSink chunks) {
                chunks.write(chunk);
            } else {
                sink.write(chunk.buffer());
            }
            busySince = 0;
            queuedBytes.addAndGet(-chunk.length());
            bytesWritten += chunk.length();
            unflushed = true;
            if (!queue.isEmpty()) {
                // More is queued (a start sequence, or a player catching up): let the other
                // players' threads write before this one goes on, so that a herd joining at once
                // all get their first bytes before any of them gets its whole start.
                Thread.yield();
            }
        }
    }

    /** Takes the sink back from a thread handing out: it never holds it for long, nor blocks. */
    private void takeSink() {
        while (!sinkUser.compareAndSet(FREE, WRITER)) {
            Thread.yield();
        }
    }

    /** Deals with what a hand-out left: its failure, or the rest of a chunk the sink kept. */
    private void finishHandOut() throws IOException {
        Throwable failure = handOutFailure;
        if (failure != null) {
            if (failure instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) failure;
        }
        long kept = keptBytes;
        if (kept > 0) {
            flush();
            keptBytes = 0;
            queuedBytes.addAndGet(-kept);
            bytesWritten += kept;
        }
    }

    private void flush() throws IOException {
        busySince = System.nanoTime() | 1;
        sink.flush();
        busySince = 0;
    }

    private void endStepDone() {
        if (endSteps.decrementAndGet() == 0) {
            ended.complete(endReason.get());
        }
    }

    /** The queue as the slow-player rules see it. */
    private final class Backlog implements SlowPlayer.Queue {

        @Override
        public boolean accepting() {
            return PlayerQueue.this.accepting();
        }

        @Override
        public long queuedBytes() {
            return queuedBytes.get();
        }

        @Override
        public void enqueue(Chunk chunk) {
            PlayerQueue.this.enqueue(chunk);
        }

        @Override
        public void dropQueued() {
            Chunk chunk;
            while ((chunk = queue.poll()) != null) {
                queuedBytes.addAndGet(-chunk.length());
                countSkipped(chunk);
            }
        }

        @Override
        public void countSkipped(Chunk chunk) {
            PlayerQueue.this.countSkipped(chunk);
        }

        @Override
        public void abort(EndReason reason) {
            requestAbort(reason);
        }

        @Override
        public long busySince() {
            return busySince;
        }
    }
}
