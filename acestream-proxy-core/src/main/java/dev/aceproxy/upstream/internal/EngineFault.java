package dev.aceproxy.upstream.internal;

import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.EngineUnavailableException;
import java.net.ConnectException;

/**
 * What a failed engine call says about the engine and the session it was asked about. The
 * recovery ladder acts on it: a refusing engine is gone with all its sessions, a forgotten
 * session needs a new one, anything else is retried after a backoff.
 */
public enum EngineFault {
    /**
     * The engine refused the connection: it is not running (down, restarting). A restarted engine
     * has forgotten every session, so its sessions are dropped without a stop call.
     */
    REFUSED,
    /** The engine answered that it does not know the session ({@code unknown playback session id}). */
    SESSION_GONE,
    /** Any other failure: the engine and the session may still be there. */
    OTHER;

    /** The engine's text for a session it no longer knows (engine API, §3 and §4). */
    public static final String UNKNOWN_SESSION = "unknown playback session id";

    /**
     * Classifies a failure.
     *
     * @param failure what an engine call threw
     * @return its kind
     */
    public static EngineFault of(Throwable failure) {
        if (failure instanceof EngineException e
                && e.engineError().map(UNKNOWN_SESSION::equalsIgnoreCase).orElse(false)) {
            return SESSION_GONE;
        }
        if (failure instanceof EngineUnavailableException) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof ConnectException) {
                    return REFUSED;
                }
                if (t.getCause() == t) {
                    break;
                }
            }
        }
        return OTHER;
    }
}
