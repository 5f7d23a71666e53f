package dev.aceproxy.fanout;

/**
 * What happens to a client whose queue would exceed its bound, or whose single write has been
 * blocked longer than the stall timeout.
 */
public enum OverflowPolicy {
    /** Close the client's connection and remove it; its end reason says why. */
    DISCONNECT,
    /**
     * Drop the client's backlog and resume near the live edge: at the next keyframe, preceded by
     * the program tables, when the stream's keyframes are known, otherwise at the next chunk.
     * Skipped chunks and bytes are counted. A client whose single write stays blocked for twice
     * the stall timeout is disconnected all the same: it is gone, not slow.
     */
    SKIP_TO_LIVE
}
