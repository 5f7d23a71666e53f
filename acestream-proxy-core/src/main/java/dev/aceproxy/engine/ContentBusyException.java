package dev.aceproxy.engine;

/**
 * The content is played by another session of this proxy (under another channel, or as the
 * infohash another session plays), so this session may not start it: the engine serves one
 * reader per download. A channel moves on to its next alternate; a player may join the session
 * that plays it instead.
 */
public final class ContentBusyException extends ContentUnavailableException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person to read
     */
    public ContentBusyException(String message) {
        super(message, null, null);
    }
}
