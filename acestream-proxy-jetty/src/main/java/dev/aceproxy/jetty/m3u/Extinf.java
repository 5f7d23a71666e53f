package dev.aceproxy.jetty.m3u;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@code #EXTINF} line says: its duration, its attributes ({@code tvg-id},
 * {@code tvg-logo}, {@code group-title}, ...) in the order written, and its title (the text after
 * the first comma outside a quoted value).
 *
 * @param duration the duration token as written ({@code -1} for live streams), possibly empty
 * @param attributes attribute names (as written) to values (without their quotes), in order
 * @param title the entry's display name, possibly empty
 */
public record Extinf(String duration, Map<String, String> attributes, String title) {

    /** The directive that starts an entry's information line. */
    public static final String DIRECTIVE = "#EXTINF:";

    /**
     * Copies the attributes, keeping their order.
     *
     * @throws NullPointerException if an argument is null
     */
    public Extinf {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(title, "title");
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /**
     * Returns an attribute's value; names compare without regard to case.
     *
     * @param name the attribute, such as {@code tvg-id}
     * @return its value, or empty when the line does not carry it
     */
    public Optional<String> attribute(String name) {
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * Reads an {@code #EXTINF} line leniently; it never fails.
     *
     * @param line the whole line, starting with {@value #DIRECTIVE} (any case)
     * @return what the line says
     * @throws IllegalArgumentException if the line does not start with {@value #DIRECTIVE}
     */
    public static Extinf parse(String line) {
        if (!line.regionMatches(true, 0, DIRECTIVE, 0, DIRECTIVE.length())) {
            throw new IllegalArgumentException("not an #EXTINF line");
        }
        AttributeReader reader = new AttributeReader(line, DIRECTIVE.length());
        String duration = reader.token();
        Map<String, String> attributes = reader.attributes();
        return new Extinf(duration, attributes, reader.rest().strip());
    }
}
