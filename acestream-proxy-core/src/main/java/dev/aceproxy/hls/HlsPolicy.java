package dev.aceproxy.hls;

import java.time.Duration;
import java.util.Objects;

/**
 * How streams are cut into HLS segments and how long they are kept.
 *
 * <p>Memory: a session holds at most {@code windowSegments + RETAINED_BEHIND} published segments
 * and one segment in progress, each at most {@code maxSegmentBytes}; the bytes are the stream's own
 * shared chunks, referenced and never copied (a segment that does not start on the program tables
 * adds one copy of them, a few hundred bytes).
 *
 * @param targetDuration the duration a segment aims at; a segment is cut at the first keyframe at
 *     least this far from its start, so a stream whose keyframes are further apart gets longer
 *     segments (and the playlist's target duration says so)
 * @param windowSegments how many segments the playlist lists
 * @param maxSegmentBytes the most bytes one segment may hold; a segment that grows past it without
 *     a keyframe is dropped and the next one starts after a discontinuity
 * @param startTimeout how long a playlist request waits for the first segment
 */
public record HlsPolicy(Duration targetDuration, int windowSegments, long maxSegmentBytes, Duration startTimeout) {

    /** Default target duration: 2 s. */
    public static final Duration DEFAULT_TARGET_DURATION = Duration.ofSeconds(2);
    /** Default window: 6 segments. */
    public static final int DEFAULT_WINDOW_SEGMENTS = 6;
    /** Default bound of one segment: 32 MiB (about 2 s at 128 Mbit/s). */
    public static final long DEFAULT_MAX_SEGMENT_BYTES = 32L << 20;
    /** Default start timeout: 30 s, as the registry's. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /** Segments kept after they leave the playlist, for players that fetch a little late. */
    public static final int RETAINED_BEHIND = 2;
    /** A viewer counts while it fetched something within this many target durations. */
    public static final int VIEWER_TIMEOUT_TARGETS = 3;

    /** Every default. */
    public static final HlsPolicy DEFAULT = new HlsPolicy(DEFAULT_TARGET_DURATION, DEFAULT_WINDOW_SEGMENTS,
            DEFAULT_MAX_SEGMENT_BYTES, DEFAULT_START_TIMEOUT);

    /**
     * Validates.
     *
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if the target is under 100 ms or over 60 s, the window
     *     under 2, the segment bound under 64 KiB, or the start timeout not positive
     */
    public HlsPolicy {
        Objects.requireNonNull(targetDuration, "targetDuration");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (targetDuration.compareTo(Duration.ofMillis(100)) < 0 || targetDuration.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("targetDuration must be from 100 ms to 60 s, got " + targetDuration);
        }
        if (windowSegments < 2) {
            throw new IllegalArgumentException("windowSegments must be at least 2, got " + windowSegments);
        }
        if (maxSegmentBytes < 64 * 1024) {
            throw new IllegalArgumentException("maxSegmentBytes must be at least 64 KiB, got " + maxSegmentBytes);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive");
        }
    }

    /**
     * This policy with another target duration.
     *
     * @param d the target duration
     * @return a new policy
     * @throws IllegalArgumentException as the constructor
     */
    public HlsPolicy withTargetDuration(Duration d) {
        return new HlsPolicy(d, windowSegments, maxSegmentBytes, startTimeout);
    }

    /**
     * This policy with another window.
     *
     * @param segments the window
     * @return a new policy
     * @throws IllegalArgumentException as the constructor
     */
    public HlsPolicy withWindowSegments(int segments) {
        return new HlsPolicy(targetDuration, segments, maxSegmentBytes, startTimeout);
    }

    /**
     * This policy with another start timeout.
     *
     * @param d the start timeout
     * @return a new policy
     * @throws IllegalArgumentException as the constructor
     */
    public HlsPolicy withStartTimeout(Duration d) {
        return new HlsPolicy(targetDuration, windowSegments, maxSegmentBytes, d);
    }

    /**
     * How long a viewer counts after its last fetch: {@value #VIEWER_TIMEOUT_TARGETS} target
     * durations.
     *
     * @return the viewer timeout
     */
    public Duration viewerTimeout() {
        return targetDuration.multipliedBy(VIEWER_TIMEOUT_TARGETS);
    }
}
