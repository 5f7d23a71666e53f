package dev.aceproxy.jetty.playlist;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A playlist the operator names: served as {@code /playlists/NAME.m3u}, read from a local file or
 * fetched from an http(s) url. {@link #toString()} does not show the url's query or credentials.
 *
 * @param name the name in the path: 1 to 64 letters, digits, {@code _} or {@code -}
 * @param location a {@code file:} uri, or an {@code http:}/{@code https:} url
 */
public record PlaylistSource(String name, URI location) {

    /** What a playlist name may hold. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * Validates.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the name is not acceptable, or the location is neither
     *     a file nor an http(s) url with a host
     */
    public PlaylistSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("playlist name '" + name
                    + "' must be 1 to 64 letters, digits, _ or -");
        }
        String scheme = location.getScheme() == null ? "" : location.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") || scheme.equals("https")) {
            if (location.getHost() == null || location.getHost().isEmpty()) {
                throw new IllegalArgumentException("playlist " + name + ": the url has no host");
            }
        } else if (!scheme.equals("file")) {
            throw new IllegalArgumentException("playlist " + name + ": must be a file or an http(s) url");
        }
    }

    /**
     * Tells whether the source is fetched over the network (and so refreshed on a timer).
     *
     * @return true for an http(s) url
     */
    public boolean remote() {
        return !location.getScheme().equalsIgnoreCase("file");
    }

    /**
     * Describes the source without the url's credentials, path details or query.
     *
     * @return for example {@code sport=https://example.org/...}
     */
    @Override
    public String toString() {
        if (!remote()) {
            return name + "=" + location.getPath();
        }
        return name + "=" + location.getScheme() + "://" + location.getHost()
                + (location.getPort() < 0 ? "" : ":" + location.getPort()) + "/...";
    }
}
