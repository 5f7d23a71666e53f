package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.internal.Player;
import dev.aceproxy.fanout.PlayerStats;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.Subscription;
import java.util.concurrent.CompletableFuture;

/** A client's place in a {@link Session}: its player and the future of its end. */
final class ActiveSubscription implements Subscription {

    private final long clientId;
    private final Session session;
    private final Player player;
    private final CompletableFuture<StreamEnd> ended = new CompletableFuture<>();

    ActiveSubscription(long clientId, Session session, Player player) {
        this.clientId = clientId;
        this.session = session;
        this.player = player;
    }

    void complete(StreamEnd end) {
        ended.complete(end);
    }

    @Override
    public long clientId() {
        return clientId;
    }

    @Override
    public String sessionKey() {
        return session.key;
    }

    @Override
    public ContentId content() {
        return session.content();
    }

    @Override
    public CompletableFuture<StreamEnd> ended() {
        // a copy, so that a caller completing or cancelling it cannot touch the registry's own
        return ended.copy();
    }

    @Override
    public PlayerStats stats() {
        return player.stats();
    }

    @Override
    public void close() {
        player.close(EndReason.REMOVED);
    }

    @Override
    public String toString() {
        return "Subscription[" + clientId + " of " + session.key + "]";
    }
}
