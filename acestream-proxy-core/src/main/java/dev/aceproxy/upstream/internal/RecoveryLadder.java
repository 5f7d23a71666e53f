package dev.aceproxy.upstream.internal;

import dev.aceproxy.registry.RetryPolicy;

/**
 * Where a session stands on its recovery ladder: attempts used on each rung since the ladder was
 * last reset (after a stable period of data). The next rung is the first that still has attempts
 * left; when none has, the session fails.
 */
public final class RecoveryLadder {

    /** The rungs, in the order they are tried. */
    public enum Rung {
        /** Open the same playback url again. */
        RECONNECT("reconnect"),
        /** Ask an engine for a new session (new player id) for the same content. */
        NEW_SESSION("new-session"),
        /** Move to the channel's next alternate content. */
        FAILOVER("failover");

        final String label;

        Rung(String label) {
            this.label = label;
        }
    }

    private final int maxAttempts;
    private final int[] used = new int[Rung.values().length];

    public RecoveryLadder(RetryPolicy policy) {
        this.maxAttempts = policy.maxAttempts();
    }

    /**
     * The rung to try next, or null when the ladder is exhausted.
     *
     * @param canReconnect whether there is a playback url to reopen
     * @param canFailover whether there is another alternate content
     */
    public Rung next(boolean canReconnect, boolean canFailover) {
        for (Rung r : Rung.values()) {
            if ((r == Rung.RECONNECT && !canReconnect) || (r == Rung.FAILOVER && !canFailover)) {
                continue;
            }
            if (used[r.ordinal()] < maxAttempts) {
                return r;
            }
        }
        return null;
    }

    /** Counts an attempt on the rung and returns its number, from 1. */
    public int attempt(Rung r) {
        return ++used[r.ordinal()];
    }

    /** Gives up the rung until the next reset (its failure says retrying cannot help). */
    public void exhaust(Rung r) {
        used[r.ordinal()] = maxAttempts;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public void reset() {
        java.util.Arrays.fill(used, 0);
    }
}
