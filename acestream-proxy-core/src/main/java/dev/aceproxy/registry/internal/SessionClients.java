package dev.aceproxy.registry.internal;

import dev.aceproxy.fanout.internal.Player;
import dev.aceproxy.fanout.PlayerStats;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.ClientStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscribers of one session: the places they hold (from before the first data until they
 * leave), counted in the registry's client count too, and the clients attached to its fan-out.
 * Guarded by the session's lock: the instance methods are called with it held; the statistics
 * are read from a {@link #copy()} after it is released.
 */
final class SessionClients {

    /** A client attached to the session. */
    record Client(long id, ClientInfo info, Player player, Instant connectedSince) {
    }

    private final RegistryTotals totals;
    private int reserved;
    private final Map<Long, Client> attached = new LinkedHashMap<>();

    SessionClients(RegistryTotals totals) {
        this.totals = totals;
    }

    /** Takes a place for a subscriber. */
    void reserve() {
        reserved++;
        totals.clientCountDelta(1);
    }

    /**
     * Gives a subscriber's place back.
     *
     * @return whether no place is left
     */
    boolean release() {
        reserved--;
        totals.clientCountDelta(-1);
        return reserved == 0;
    }

    /** Gives every place back: the session ended. */
    void releaseAll() {
        totals.clientCountDelta(-reserved);
        reserved = 0;
    }

    int reserved() {
        return reserved;
    }

    void attach(Client c) {
        attached.put(c.id(), c);
    }

    /** Removes the client; null if it was not attached. */
    Client detach(long clientId) {
        return attached.remove(clientId);
    }

    int attachedCount() {
        return attached.size();
    }

    List<Client> copy() {
        return List.copyOf(attached.values());
    }

    /** The status of each client, from a copy taken under the lock. */
    static List<ClientStatus> statuses(List<Client> copy) {
        List<ClientStatus> cs = new ArrayList<>(copy.size());
        for (Client c : copy) {
            PlayerStats ws = c.player().stats();
            cs.add(new ClientStatus(c.id(), c.info().remoteAddress(), c.info().userAgent(), c.connectedSince(),
                    ws.bytesWritten(), ws.bytesQueued(), ws.bytesSkipped(), ws.chunksSkipped()));
        }
        return cs;
    }

    /** Bytes written to and skipped for the clients, from a copy taken under the lock. */
    static long[] bytes(List<Client> copy) {
        long out = 0;
        long skipped = 0;
        for (Client c : copy) {
            PlayerStats ws = c.player().stats();
            out += ws.bytesWritten();
            skipped += ws.bytesSkipped();
        }
        return new long[] {out, skipped};
    }
}
