package dev.aceproxy.jetty.playlist;

import dev.aceproxy.engine.ContentId;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises the AceStream content a playlist url names. Recognised forms:
 * <ul>
 *   <li>{@code acestream://<40 hex>} (anything after the id ignored);</li>
 *   <li>a bare 40-hex id;</li>
 *   <li>an engine or proxy url whose path ends in {@code /ace/getstream} or
 *       {@code /ace/manifest.m3u8} with {@code id=}, {@code content_id=} or {@code infohash=};</li>
 *   <li>a path with a segment {@code pid}, {@code id}, {@code content_id} or {@code infohash}
 *       followed by a 40-hex segment ({@code http://host:6878/pid/<id>/stream.mp4}).</li>
 * </ul>
 * Anything else (an ordinary http stream, a malformed id) is not an AceStream link. Stateless.
 */
public final class ContentLinks {

    private static final Pattern HEX40 = Pattern.compile("[0-9A-Fa-f]{40}");
    private static final String SCHEME = "acestream://";

    private ContentLinks() {
    }

    /**
     * Finds the content a url names.
     *
     * @param url a playlist entry's url line
     * @return the content, or empty when the url is not an AceStream link
     */
    public static Optional<ContentId> contentOf(String url) {
        String u = url.strip();
        if (HEX40.matcher(u).matches()) {
            return Optional.of(ContentId.id(u));
        }
        if (u.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            String rest = u.substring(SCHEME.length());
            return rest.length() >= 40 && HEX40.matcher(rest.substring(0, 40)).matches()
                    && (rest.length() == 40 || !isHex(rest.charAt(40)))
                    ? Optional.of(ContentId.id(rest.substring(0, 40))) : Optional.empty();
        }
        int schemeEnd = u.indexOf("://");
        if (schemeEnd <= 0) {
            return Optional.empty();
        }
        int pathStart = u.indexOf('/', schemeEnd + 3);
        if (pathStart < 0) {
            return Optional.empty();
        }
        int queryStart = u.indexOf('?', pathStart);
        int fragment = u.indexOf('#', pathStart);
        int pathEnd = queryStart >= 0 ? queryStart : fragment >= 0 ? fragment : u.length();
        String path = u.substring(pathStart, pathEnd);
        String lower = path.toLowerCase(Locale.ROOT);
        if (queryStart >= 0 && (lower.endsWith("/ace/getstream") || lower.endsWith("/ace/getstream/")
                || lower.endsWith("/ace/manifest.m3u8"))) {
            String query = u.substring(queryStart + 1, fragment > queryStart ? fragment : u.length());
            return fromQuery(query);
        }
        return fromPath(path);
    }

    private static Optional<ContentId> fromQuery(String query) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = decode(pair.substring(eq + 1));
            if (!HEX40.matcher(value).matches()) {
                continue;
            }
            if (name.equals("id") || name.equals("content_id")) {
                return Optional.of(ContentId.id(value));
            }
            if (name.equals("infohash")) {
                return Optional.of(ContentId.infohash(value));
            }
        }
        return Optional.empty();
    }

    private static Optional<ContentId> fromPath(String path) {
        String[] segments = path.split("/");
        for (int i = 0; i + 1 < segments.length; i++) {
            String name = segments[i].toLowerCase(Locale.ROOT);
            String value = segments[i + 1];
            if (!HEX40.matcher(value).matches()) {
                continue;
            }
            if (name.equals("pid") || name.equals("id") || name.equals("content_id")) {
                return Optional.of(ContentId.id(value));
            }
            if (name.equals("infohash")) {
                return Optional.of(ContentId.infohash(value));
            }
        }
        return Optional.empty();
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
