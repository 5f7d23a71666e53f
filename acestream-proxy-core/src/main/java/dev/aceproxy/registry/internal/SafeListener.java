package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.registry.SessionState;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.StreamListener;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;

/** Calls the user's listener and keeps its exceptions from reaching the registry's threads. */
public final class SafeListener implements StreamListener {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");

    private final StreamListener delegate;

    public SafeListener(StreamListener delegate) {
        this.delegate = delegate;
    }

    private void guard(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "stream listener failed", e);
        }
    }

    @Override
    public void sessionStateChanged(String key, ContentId content, SessionState from, SessionState to, String reason) {
        guard(() -> delegate.sessionStateChanged(key, content, from, to, reason));
    }

    @Override
    public void clientJoined(String key, long clientId) {
        guard(() -> delegate.clientJoined(key, clientId));
    }

    @Override
    public void clientLeft(String key, long clientId, StreamEnd end) {
        guard(() -> delegate.clientLeft(key, clientId, end));
    }

    @Override
    public void recovering(String key, String rung, int attempt, Duration backoff) {
        guard(() -> delegate.recovering(key, rung, attempt, backoff));
    }

    @Override
    public void failover(String key, ContentId from, ContentId to) {
        guard(() -> delegate.failover(key, from, to));
    }

    @Override
    public void engineHealthChanged(URI engine, boolean healthy) {
        guard(() -> delegate.engineHealthChanged(engine, healthy));
    }
}
