package dev.aceproxy.hls.internal;

import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.hls.MediaPlaylist;
import dev.aceproxy.hls.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The published segments of one HLS session: the playlist's window plus
 * {@link HlsPolicy#RETAINED_BEHIND} older ones. Written by the segmenter's thread, read by any
 * request thread; every method is short and holds the lock only over memory.
 */
public final class SegmentWindow {

    private final String session;
    private final int listed;
    private final int kept;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition published = lock.newCondition();
    private final ArrayList<Segment> segments = new ArrayList<>();
    private int targetSeconds;
    private long discontinuitySequence;
    private long discontinuities;
    private long bytesHeld;
    private boolean closed;

    /**
     * Creates an empty window.
     *
     * @param policy the window size and target duration
     * @param session the session's tag
     */
    public SegmentWindow(HlsPolicy policy, String session) {
        this.session = session;
        this.listed = policy.windowSegments();
        this.kept = policy.windowSegments() + HlsPolicy.RETAINED_BEHIND;
        this.targetSeconds = (int) Math.max(1, Math.round(policy.targetDuration().toMillis() / 1000.0));
    }

    /**
     * Publishes the next segment and drops those beyond the bound.
     *
     * @param segment the segment, numbered one after the last
     */
    public void publish(Segment segment) {
        lock.lock();
        try {
            segments.add(segment);
            bytesHeld += segment.length();
            if (segment.discontinuity()) {
                discontinuities++;
            }
            // RFC 8216 4.3.3.1: the target is at least every segment's rounded duration, and it
            // never changes down.
            targetSeconds = Math.max(targetSeconds, (int) Math.round(segment.durationMillis() / 1000.0));
            // A discontinuity leaving the listed window counts into the discontinuity sequence.
            int leaving = segments.size() - listed - 1;
            if (leaving >= 0 && segments.get(leaving).discontinuity()) {
                discontinuitySequence++;
            }
            while (segments.size() > kept) {
                bytesHeld -= segments.remove(0).length();
            }
            published.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the window: waiters return at once. The segments stay readable.
     */
    public void close() {
        lock.lock();
        try {
            closed = true;
            published.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The current playlist, waiting for the first segment if there is none yet.
     *
     * @param timeoutNanos how long to wait
     * @return the playlist, or empty if no segment came in time or the window was closed first
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<MediaPlaylist> awaitPlaylist(long timeoutNanos) throws InterruptedException {
        return awaitPlaylist(timeoutNanos, 1);
    }

    /**
     * Waits until the window holds {@code wanted} segments (or as many as it lists, if fewer), or
     * the time is up, and returns the playlist then; empty when no segment came at all.
     *
     * @param timeoutNanos how long to wait
     * @param wanted the segments to wait for
     * @return the playlist, or empty when none was published in time or the window closed first
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<MediaPlaylist> awaitPlaylist(long timeoutNanos, int wanted) throws InterruptedException {
        long left = timeoutNanos;
        int target = Math.max(1, Math.min(wanted, listed));
        lock.lock();
        try {
            while (segments.size() < target && !closed && left > 0) {
                left = published.awaitNanos(left);
            }
            if (segments.isEmpty()) {
                return Optional.empty();
            }
            int from = Math.max(0, segments.size() - listed);
            return Optional.of(new MediaPlaylist(session, targetSeconds, discontinuitySequence,
                    new ArrayList<>(segments.subList(from, segments.size()))));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a segment numbered at least {@code sequence} is published; for tests and tools.
     *
     * @param sequence the number
     * @param timeout how long to wait
     * @param unit the unit of {@code timeout}
     * @return whether it was published in time
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitSequence(long sequence, long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lock();
        try {
            while (segments.isEmpty() || segments.get(segments.size() - 1).sequence() < sequence) {
                if (closed || left <= 0) {
                    return false;
                }
                left = published.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A held segment.
     *
     * @param sequence its number
     * @return the segment, or empty if it is not held (not yet, or no longer)
     */
    public Optional<Segment> segment(long sequence) {
        lock.lock();
        try {
            if (segments.isEmpty()) {
                return Optional.empty();
            }
            long first = segments.get(0).sequence();
            long index = sequence - first;
            return index < 0 || index >= segments.size() ? Optional.empty()
                    : Optional.of(segments.get((int) index));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Figures for the status.
     *
     * @return segments held, bytes held, first listed number (-1 when none), target seconds and
     *     discontinuities, in that order
     */
    public long[] figures() {
        lock.lock();
        try {
            long firstListed = segments.isEmpty() ? -1
                    : segments.get(Math.max(0, segments.size() - listed)).sequence();
            return new long[] {segments.size(), bytesHeld, firstListed, targetSeconds, discontinuities};
        } finally {
            lock.unlock();
        }
    }

    /**
     * Every held segment, oldest first.
     *
     * @return a copy
     */
    public List<Segment> held() {
        lock.lock();
        try {
            return List.copyOf(segments);
        } finally {
            lock.unlock();
        }
    }
}
