package dev.aceproxy.upstream.internal;

import java.io.IOException;
import java.io.Serial;

/** The engine answered the playback url and ended it at once: it is still prebuffering. */
public final class WarmingUpException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    public WarmingUpException(String message) {
        super(message);
    }
}
