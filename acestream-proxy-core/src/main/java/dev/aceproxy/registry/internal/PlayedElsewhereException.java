package dev.aceproxy.registry.internal;

import java.io.IOException;
import java.io.Serial;

/**
 * A starting session learned from the engine's answer that its content is an infohash another
 * live session plays already: the session gives way (its duplicate engine session stopped) and
 * its subscribers join the other session. Never leaves the registry.
 */
public final class PlayedElsewhereException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    public PlayedElsewhereException(String message) {
        super(message);
    }
}
