package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.AceEngineClient;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The getstream parameters a client may pass: those every engine of the pool accepts. */
public final class EngineParameters {

    private EngineParameters() {
    }

    /**
     * Intersects the engines' allow-lists, so that a session may start on any engine.
     *
     * @param engines the pool
     * @return the parameters every engine accepts
     */
    public static Set<String> acceptedByAll(List<AceEngineClient> engines) {
        Set<String> accepted = null;
        for (AceEngineClient engine : engines) {
            if (accepted == null) {
                accepted = new HashSet<>(engine.allowedParameters());
            } else {
                accepted.retainAll(engine.allowedParameters());
            }
        }
        if (accepted == null) {
            return Set.of();
        }
        accepted.removeAll(AceEngineClient.FORBIDDEN_PARAMETERS);
        return Set.copyOf(accepted);
    }
}
