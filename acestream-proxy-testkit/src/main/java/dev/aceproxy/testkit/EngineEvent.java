package dev.aceproxy.testkit;

import java.util.Objects;

/**
 * Something that happened inside the fake engine, in the order it happened; taken from the engine's
 * event queue with {@link FakeAceEngine#takeEvent(java.time.Duration)} or {@link
 * FakeAceEngine#awaitEvent(Kind, java.time.Duration)}.
 *
 * @param kind what happened
 * @param nanoTime when, as {@link System#nanoTime()}
 * @param infohash the content's infohash (lower-case hex), or null for events of no content
 * @param pid the session's player id as the getstream call gave it, {@code ""} for a getstream
 *     without {@code pid}, or null when unknown (e.g. a stat of an unknown session)
 * @param key the session's playback key (the last part of its urls), or null when none
 */
public record EngineEvent(Kind kind, long nanoTime, String infohash, String pid, String key) {

    /** What happened. */
    public enum Kind {
        /** A getstream request arrived (faulted or not); a session event follows if one started. */
        GETSTREAM,
        /** A new (content, pid) session started. */
        SESSION_STARTED,
        /** A session ended by a stop command. */
        SESSION_STOPPED,
        /** A session the engine ended by itself: idle expiry, a restart, or the engine closing. */
        SESSION_FORGOTTEN,
        /** A playback request reached a known session (warm-up, failed starts and second readers included). */
        PLAYBACK_OPENED,
        /** A playback answer's status line and headers were sent (once prebuffering was over). */
        PLAYBACK_HEADERS_SENT,
        /** A playback that had sent its headers ended: its connection is closed. */
        PLAYBACK_CLOSED,
        /** A playback request was refused with the broken answer because the session had a reader. */
        SECOND_READER,
        /** A playback with {@code stop_prev_read_thread=1} cut the session's reader and took its place. */
        READER_REPLACED,
        /** A stop command arrived (answered or not). */
        STOP,
        /** A stat request arrived. */
        STAT,
        /** A restart began: every session is forgotten and every connection reset. */
        RESTART_DOWN,
        /** A restart ended: the engine answers again. */
        RESTART_UP,
        /** The engine's process exited: it refuses connections from now on; open playbacks end soon. */
        EXITED
    }

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code kind} is null
     */
    public EngineEvent {
        Objects.requireNonNull(kind, "kind");
    }
}
