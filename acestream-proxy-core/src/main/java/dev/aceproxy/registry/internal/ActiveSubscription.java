package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.fanout.Writer;
import dev.aceproxy.fanout.WriterStats;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.Subscription;
import java.util.concurrent.CompletableFuture;

/** A client's place in a {@link Session}: its writer and the future of its end. */
final class ActiveSubscription implements Subscription {

    private final long clientId;
    private final Session session;
    private final Writer writer;
    private final CompletableFuture<StreamEnd> ended = new CompletableFuture<>();

    ActiveSubscription(long clientId, Session session, Writer writer) {
        this.clientId = clientId;
        this.session = session;
        this.writer = writer;
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
    public WriterStats stats() {
        return writer.stats();
    }

    @Override
    public void close() {
        writer.close(EndReason.REMOVED);
    }

    @Override
    public String toString() {
        return "Subscription[" + clientId + " of " + session.key + "]";
    }
}
