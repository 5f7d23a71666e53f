package dev.aceproxy.server;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.StreamListener;
import java.lang.System.Logger.Level;

/**
 * The reference server's log lines for what the registry does not log itself: failovers and
 * players joining and leaving. Session starts, recoveries and stops are logged by the registry.
 */
final class ServerLog implements StreamListener {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.server");

    @Override
    public void failover(String sessionKey, ContentId from, ContentId to) {
        LOG.log(Level.INFO, () -> "session " + sessionKey + " failed over from " + from.hex() + " to " + to.hex());
    }

    @Override
    public void clientJoined(String sessionKey, long clientId) {
        LOG.log(Level.INFO, () -> "client " + clientId + " joined session " + sessionKey);
    }

    @Override
    public void clientLeft(String sessionKey, long clientId, StreamEnd end) {
        LOG.log(Level.INFO, () -> "client " + clientId + " left session " + sessionKey + ": "
                + end.reason() + end.detail().map(d -> " (" + d + ")").orElse(""));
    }
}
