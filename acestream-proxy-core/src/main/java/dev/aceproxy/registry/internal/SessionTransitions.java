package dev.aceproxy.registry.internal;

import static dev.aceproxy.registry.SessionState.FAILED;
import static dev.aceproxy.registry.SessionState.LINGERING;
import static dev.aceproxy.registry.SessionState.RECOVERING;
import static dev.aceproxy.registry.SessionState.STARTING;
import static dev.aceproxy.registry.SessionState.STOPPED;
import static dev.aceproxy.registry.SessionState.STREAMING;

import dev.aceproxy.registry.SessionState;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The one table of allowed session state transitions. */
public final class SessionTransitions {

    private static final Map<SessionState, Set<SessionState>> ALLOWED;

    static {
        Map<SessionState, Set<SessionState>> m = new EnumMap<>(SessionState.class);
        // LINGERING from STARTING: every waiting subscriber gave up before the first data.
        m.put(STARTING, EnumSet.of(STREAMING, LINGERING, FAILED, STOPPED));
        m.put(STREAMING, EnumSet.of(RECOVERING, LINGERING, STOPPED));
        m.put(RECOVERING, EnumSet.of(STREAMING, LINGERING, FAILED, STOPPED));
        // RECOVERING from LINGERING: a client came back while the upstream is being recovered.
        m.put(LINGERING, EnumSet.of(STREAMING, RECOVERING, FAILED, STOPPED));
        m.put(STOPPED, EnumSet.noneOf(SessionState.class));
        m.put(FAILED, EnumSet.noneOf(SessionState.class));
        for (SessionState s : SessionState.values()) {
            m.put(s, Collections.unmodifiableSet(m.get(s)));
        }
        ALLOWED = Collections.unmodifiableMap(m);
    }

    private SessionTransitions() {
    }

    /**
     * The states reachable from {@code from} in one step.
     *
     * @param from the current state
     * @return an unmodifiable set, empty for terminal states
     */
    public static Set<SessionState> next(SessionState from) {
        return ALLOWED.get(from);
    }

    /**
     * Tells whether {@code from -> to} is allowed.
     *
     * @param from the current state
     * @param to the next state
     * @return whether the table allows it
     */
    public static boolean allowed(SessionState from, SessionState to) {
        return ALLOWED.get(from).contains(to);
    }

    /**
     * Checks a transition.
     *
     * @param from the current state
     * @param to the next state
     * @return {@code to}
     * @throws IllegalStateException if the table does not allow it
     */
    public static SessionState transition(SessionState from, SessionState to) {
        if (!allowed(from, to)) {
            throw new IllegalStateException("session cannot go from " + from + " to " + to);
        }
        return to;
    }
}
