package dev.aceproxy.registry;

import java.io.IOException;

/**
 * The registry turned a subscriber away by its own rules, before asking any engine. Each subclass
 * names one rule; the message is the registry's own text, never the engine's.
 *
 * <ul>
 *   <li>{@link LimitReachedException}: a {@link Limits} bound is reached; retry later.</li>
 *   <li>{@link DrainingException}: this instance is draining and starts no new session.</li>
 *   <li>{@link ParametersConflictException}: the content plays already with other engine
 *       parameters.</li>
 * </ul>
 */
public abstract sealed class SubscriptionRefusedException extends IOException
        permits LimitReachedException, DrainingException, ParametersConflictException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message the registry's reason, for a person to read
     */
    protected SubscriptionRefusedException(String message) {
        super(message);
    }
}
