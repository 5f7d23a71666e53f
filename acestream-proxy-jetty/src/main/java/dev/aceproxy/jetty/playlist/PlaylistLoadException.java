package dev.aceproxy.jetty.playlist;

import java.io.IOException;
import java.io.Serial;

/** A playlist source could not be read: a missing file, an url that did not answer, too big. */
public final class PlaylistLoadException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, naming the playlist; never the url's query or credentials
     * @param cause the underlying failure, or null
     */
    public PlaylistLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
