package dev.aceproxy.fanout.internal;

import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.OverflowPolicy;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.ts.Chunk;
import java.util.List;

/**
 * Every decision about a player that cannot keep up, in one place: what is queued within the
 * player's bound, when its backlog is skipped and it waits for the next keyframe, when it is
 * disconnected for overflow or a stalled write, and when it counts as backed up or catching up
 * for the pump.
 *
 * <p>The rules, for a player with {@link PlayerPolicy} bound {@code B}:
 * <ul>
 *   <li><b>Bound.</b> A chunk that would take the queue past {@code B} overflows. With
 *       {@link OverflowPolicy#DISCONNECT} the player is cut off ({@link EndReason#OVERFLOW}); with
 *       {@link OverflowPolicy#SKIP} its whole backlog is dropped.</li>
 *   <li><b>Skip.</b> After dropping its backlog a player waits for the next keyframe (when the
 *       stream's keyframes are known), so that it resumes on a picture a decoder can start at,
 *       with the program tables first. A player that has skipped a whole {@code B} waiting
 *       resumes at the live edge rather than starve.</li>
 *   <li><b>Stall.</b> A single write or flush blocked past the policy's stall timeout cuts the
 *       player off with {@code DISCONNECT}; with {@code SKIP} its backlog is dropped once per
 *       stalled write, and a write blocked past twice the timeout cuts it off
 *       ({@link EndReason#STALLED}).</li>
 *   <li><b>Backed up.</b> A player with half its bound queued holds the upstream back for as long
 *       as it has been so for less than the pump's grace (it is catching up); after that, only
 *       the rules above apply to it.</li>
 * </ul>
 *
 * <p>Called by the fan-out with its lock held, one caller at a time; never blocks.
 */
final class SlowPlayer {

    /** What the rules act on: the player's queue. */
    interface Queue {

        /** Tells whether the player still takes data (it is neither ending nor cut off). */
        boolean accepting();

        /** Bytes waiting in the queue. */
        long queuedBytes();

        /** Appends a chunk. */
        void enqueue(Chunk chunk);

        /** Drops everything queued, counting it as skipped. */
        void dropQueued();

        /** Counts a chunk the player never receives. */
        void countSkipped(Chunk chunk);

        /** Cuts the player off. */
        void abort(EndReason reason);

        /** {@code System.nanoTime()} when the current write began, 0 when idle. */
        long busySince();
    }

    private final PlayerPolicy policy;
    private final Queue queue;
    private boolean awaitingKeyframe;
    private long skippedWhileAwaiting;
    private long stallHandledFor;
    /** When the pump first saw this player backed up, 0 when it is not; see isCatchingUp. */
    private volatile long backedUpSinceNanos;

    SlowPlayer(PlayerPolicy policy, Queue queue) {
        this.policy = policy;
        this.queue = queue;
    }

    /**
     * Offers the next live chunk.
     *
     * @param keyframesKnown whether the stream's keyframes are being found, so a skipping player
     *     may wait for the next one
     * @return {@code false} when the player must be removed (the caller closes its sink outside
     *     the lock)
     */
    boolean offer(Chunk chunk, boolean keyframesKnown) {
        if (!queue.accepting()) {
            return true;
        }
        if (awaitingKeyframe) {
            if (skippedWhileAwaiting + chunk.length() <= policy.maxQueuedBytes()) {
                skippedWhileAwaiting += chunk.length();
                queue.countSkipped(chunk);
                return true;
            }
            // No keyframe for a whole queue's worth of data: resume here rather than starve.
            awaitingKeyframe = false;
        }
        return enqueueWithinBound(chunk, keyframesKnown);
    }

    /**
     * Offers data that bypasses the wait for a keyframe (program tables after an upstream restart,
     * keepalive filler, the restart mark of a chunk sink).
     *
     * @return {@code false} when the player must be removed
     */
    boolean offerControl(Chunk chunk) {
        if (!queue.accepting()) {
            return true;
        }
        return enqueueWithinBound(chunk, false);
    }

    /**
     * Makes a new player wait for the next keyframe instead of starting at the live edge in the
     * middle of a picture.
     */
    void awaitKeyframe() {
        awaitingKeyframe = true;
        skippedWhileAwaiting = 0;
    }

    boolean awaitingKeyframe() {
        return awaitingKeyframe;
    }

    /**
     * Resumes a player that waits for a keyframe, now that one was found: with the start sequence
     * from it when that fits in half the bound, else at the live edge.
     *
     * @param sequence the start sequence from the new keyframe, ending with {@code live}
     * @param sequenceBytes its size
     * @param live the chunk just observed
     * @return {@code false} when the player must be removed
     */
    boolean resume(List<Chunk> sequence, long sequenceBytes, Chunk live) {
        awaitingKeyframe = false;
        if (!queue.accepting()) {
            return true;
        }
        if (sequence.isEmpty() || sequenceBytes > policy.maxQueuedBytes() / 2) {
            return enqueueWithinBound(live, false);
        }
        for (Chunk chunk : sequence) {
            queue.enqueue(chunk);
        }
        return true;
    }

    /**
     * Applies the stall rule.
     *
     * @param now {@code System.nanoTime()}
     * @param keyframesKnown as for {@link #offer}
     * @return {@code false} when the player must be removed
     */
    boolean checkStall(long now, boolean keyframesKnown) {
        long since = queue.busySince();
        if (since == 0 || !queue.accepting()) {
            return true;
        }
        long blocked = now - since;
        long timeout = policy.stallTimeout().toNanos();
        if (blocked <= timeout) {
            return true;
        }
        if (policy.overflow() == OverflowPolicy.DISCONNECT || blocked > 2 * timeout) {
            queue.abort(EndReason.STALLED);
            return false;
        }
        if (stallHandledFor != since) {
            stallHandledFor = since;
            skipBacklog(keyframesKnown);
        }
        return true;
    }

    /**
     * Tells whether this player holds the upstream back: it still takes data and has at least half
     * its bound waiting.
     */
    boolean isBackedUp() {
        return queue.accepting() && queue.queuedBytes() >= policy.maxQueuedBytes() / 2;
    }

    /**
     * Tells whether this player is backed up and has been for less than {@code graceNanos}: one
     * that is catching up (a new player whose thread has not written yet, a moment of scheduling
     * delay) rather than one slower than the stream. Remembers when it was first seen backed up,
     * and forgets it when it is not.
     */
    boolean isCatchingUp(long nowNanos, long graceNanos) {
        if (!isBackedUp()) {
            backedUpSinceNanos = 0;
            return false;
        }
        long since = backedUpSinceNanos;
        if (since == 0) {
            backedUpSinceNanos = nowNanos;
            return true;
        }
        return nowNanos - since < graceNanos;
    }

    private boolean enqueueWithinBound(Chunk chunk, boolean keyframesKnown) {
        long queued = queue.queuedBytes();
        if (queued > 0 && queued + chunk.length() > policy.maxQueuedBytes()) {
            if (policy.overflow() == OverflowPolicy.DISCONNECT) {
                queue.abort(EndReason.OVERFLOW);
                return false;
            }
            skipBacklog(keyframesKnown);
            if (awaitingKeyframe) {
                skippedWhileAwaiting = chunk.length();
                queue.countSkipped(chunk);
                return true;
            }
        }
        queue.enqueue(chunk);
        return true;
    }

    private void skipBacklog(boolean keyframesKnown) {
        queue.dropQueued();
        awaitingKeyframe = keyframesKnown;
        skippedWhileAwaiting = 0;
    }
}
