package dev.aceproxy.engine;

import java.util.Objects;

/**
 * The engine answered the session start ({@code getstream}) with a redirect to another host or port.
 * The client never sends a request anywhere but the configured engine, so the content cannot be
 * played through this engine; the engine itself answered, so this is a problem of the content, not
 * of the engine's health. {@link #location()} holds the redirect's target as the engine sent it
 * (cleaned of control characters and cut to 200 characters).
 */
public final class ContentRedirectedException extends ContentUnavailableException {

    private static final long serialVersionUID = 1L;

    /** Where the engine redirected to, as it wrote it, cleaned. */
    private final String location;

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person to read; it should name the redirect
     * @param location the redirect's target as the engine sent it
     * @throws NullPointerException if {@code location} is null
     */
    public ContentRedirectedException(String message, String location) {
        super(message, null, null);
        this.location = Objects.requireNonNull(location, "location");
    }

    /**
     * Returns where the engine redirected the session start.
     *
     * @return the {@code Location} the engine sent, for example
     *     {@code http://10.0.0.5:6878/ace/getstream?...}
     */
    public String location() {
        return location;
    }
}
