package dev.aceproxy.registry;

import java.io.Serial;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A subscriber asked for a content that already plays with other engine parameters (for example
 * another {@code transcode_audio}). One content has one engine session, so its parameters are
 * those of the session's first subscriber; a request that asks for others is refused rather than
 * silently given the running session's. It may succeed once that session has ended.
 */
public final class ParametersConflictException extends SubscriptionRefusedException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The running session's parameters. */
    private final transient Map<String, String> running;

    /**
     * Creates the exception.
     *
     * @param sessionKey the running session
     * @param running the running session's parameters
     * @param asked the parameters asked for
     * @throws NullPointerException if an argument is null
     */
    public ParametersConflictException(String sessionKey, Map<String, String> running, Map<String, String> asked) {
        super("session " + sessionKey + " already plays with engine parameters " + new TreeMap<>(running)
                + ", not " + new TreeMap<>(asked) + "; ask with the same parameters, or when it has ended");
        this.running = Map.copyOf(Objects.requireNonNull(running, "running"));
        Objects.requireNonNull(asked, "asked");
    }

    /**
     * Returns the parameters the running session plays with.
     *
     * @return the parameters, possibly empty
     */
    public Map<String, String> running() {
        return running;
    }
}
