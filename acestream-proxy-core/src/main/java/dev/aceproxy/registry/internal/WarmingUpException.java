package dev.aceproxy.registry.internal;

import java.io.IOException;
import java.io.Serial;

/** The engine answered the playback url and ended it at once: it is still prebuffering. */
final class WarmingUpException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    WarmingUpException(String message) {
        super(message);
    }
}
