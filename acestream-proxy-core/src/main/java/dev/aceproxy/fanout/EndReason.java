package dev.aceproxy.fanout;

import dev.aceproxy.fanout.internal.Player;

/** Why a client's writer ended. The first reason recorded wins. */
public enum EndReason {
    /** The client went away: its sink failed with an {@link java.io.IOException}. */
    CLIENT_CLOSED,
    /** The client's sink failed with an unexpected exception (a bug in the sink). */
    CLIENT_FAILED,
    /** The client fell further behind than its queue bound allows. */
    OVERFLOW,
    /** A single write to the client blocked longer than the stall timeout. */
    STALLED,
    /** The client was removed through {@link Player#close(EndReason)} by its owner. */
    REMOVED,
    /** The upstream stream ended; the client received everything up to the end. */
    STREAM_ENDED,
    /** The upstream stream failed and could not be recovered. */
    STREAM_FAILED,
    /** The fan-out was shut down. */
    SHUTDOWN
}
