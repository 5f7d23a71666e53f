package dev.aceproxy.engine.internal;

import java.io.IOException;

/** The engine sent HTTP that breaks the protocol or one of this reader's bounds; the message says how. */
public final class MalformedHttpException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, for a person to read
     */
    public MalformedHttpException(String message) {
        super(message);
    }
}
