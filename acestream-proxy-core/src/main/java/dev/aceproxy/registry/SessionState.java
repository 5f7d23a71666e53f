package dev.aceproxy.registry;

/**
 * The lifecycle of one registry session. The allowed transitions are:
 *
 * <pre>
 * STARTING   -&gt; STREAMING, LINGERING, FAILED, STOPPED
 * STREAMING  -&gt; RECOVERING, LINGERING, STOPPED
 * RECOVERING -&gt; STREAMING, LINGERING, FAILED, STOPPED
 * LINGERING  -&gt; STREAMING, RECOVERING, FAILED, STOPPED
 * STOPPED, FAILED: terminal
 * </pre>
 *
 * Every transition is reported to {@link StreamListener#sessionStateChanged}.
 */
public enum SessionState {
    /** Asking the engine for a session and waiting for its first data; subscribers wait. */
    STARTING,
    /** Data flows from the engine to the clients. */
    STREAMING,
    /** The upstream was lost; the recovery ladder runs while clients stay connected and get keepalive packets. */
    RECOVERING,
    /** No client is left; the session is kept for the linger delay so a returning client joins at once. */
    LINGERING,
    /** Ended normally (linger expired, shutdown); the engine session was stopped. */
    STOPPED,
    /** Ended because the engine could not be reached or the recovery ladder ran out; every client's stream ended. */
    FAILED;

    /**
     * Tells whether the state is final.
     *
     * @return {@code true} for {@link #STOPPED} and {@link #FAILED}
     */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }
}
