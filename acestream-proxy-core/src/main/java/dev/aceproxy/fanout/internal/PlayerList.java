package dev.aceproxy.fanout.internal;

import dev.aceproxy.fanout.PlayerStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The players of one fan-out, as an array that is replaced, never changed: the distribution loop
 * and the readers of figures walk a snapshot without a lock, and the fan-out changes the list only
 * with its lock held.
 */
final class PlayerList {

    private static final PlayerQueue[] NONE = new PlayerQueue[0];

    private volatile PlayerQueue[] players = NONE;

    /** Returns the current players; the array is never changed, so callers may keep it. */
    PlayerQueue[] snapshot() {
        return players;
    }

    int size() {
        return players.length;
    }

    /** Adds a player. Fan-out lock held. */
    void add(PlayerQueue player) {
        PlayerQueue[] current = players;
        PlayerQueue[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = player;
        players = grown;
    }

    /** Removes every player of {@code gone}. Fan-out lock held. */
    void removeAll(List<PlayerQueue> gone) {
        PlayerQueue[] current = players;
        PlayerQueue[] kept = new PlayerQueue[current.length];
        int count = 0;
        for (PlayerQueue player : current) {
            if (!gone.contains(player)) {
                kept[count++] = player;
            }
        }
        if (count != current.length) {
            players = count == 0 ? NONE : Arrays.copyOf(kept, count);
        }
    }

    /**
     * Removes the players that {@code keeps} refuses. Fan-out lock held.
     *
     * @param removed players already removed by the caller, or {@code null}
     * @return every player removed so far, whose sinks the caller closes outside the lock
     */
    List<PlayerQueue> removeRefusing(Predicate<PlayerQueue> keeps, List<PlayerQueue> removed) {
        List<PlayerQueue> gone = null;
        for (PlayerQueue player : players) {
            if (!keeps.test(player)) {
                gone = gone == null ? new ArrayList<>() : gone;
                gone.add(player);
            }
        }
        return removeAll(gone, removed);
    }

    /**
     * Removes {@code gone} (may be null) and adds it to {@code removed}. Fan-out lock held.
     *
     * @return every player removed so far
     */
    List<PlayerQueue> removeAll(List<PlayerQueue> gone, List<PlayerQueue> removed) {
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

    /** Empties the list and returns what it held. Fan-out lock held. */
    PlayerQueue[] takeAll() {
        PlayerQueue[] all = players;
        players = NONE;
        return all;
    }

    List<PlayerStats> stats() {
        PlayerQueue[] current = players;
        List<PlayerStats> stats = new ArrayList<>(current.length);
        for (PlayerQueue player : current) {
            stats.add(player.stats());
        }
        return List.copyOf(stats);
    }

    /**
     * Tells whether every open player is backed up (half its bound queued); {@code false} when
     * none is open. Never blocks.
     */
    boolean allBackedUp() {
        boolean anyOpen = false;
        for (PlayerQueue player : players) {
            if (player.isOpen()) {
                if (!player.rules().isBackedUp()) {
                    return false;
                }
                anyOpen = true;
            }
        }
        return anyOpen;
    }

    /** Tells whether an open player is catching up (backed up for less than {@code graceNanos}). */
    boolean anyCatchingUp(long nowNanos, long graceNanos) {
        boolean any = false;
        for (PlayerQueue player : players) {
            // Every player is asked, so that each one's "backed up since" stays current.
            any |= player.rules().isCatchingUp(nowNanos, graceNanos);
        }
        return any;
    }

    /** Closes the sinks of removed players; called without the fan-out's lock. */
    static void closeSinks(List<PlayerQueue> removed) {
        if (removed != null) {
            for (PlayerQueue player : removed) {
                player.closeSink();
            }
        }
    }
}
