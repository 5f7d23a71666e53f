package dev.aceproxy.engine;

import dev.aceproxy.internal.AsciiHex;
import java.util.Locale;
import java.util.Objects;

/**
 * A piece of AceStream content: 40 hexadecimal characters, either a content id ({@code id}) or a
 * torrent infohash ({@code infohash}). Values are normalised to lower case, so two ids that differ
 * only in case are equal.
 *
 * @param kind which engine parameter the value belongs to
 * @param hex the 40 lower-case hexadecimal characters
 */
public record ContentId(Kind kind, String hex) {

    /** Number of hexadecimal characters in every content id and infohash. */
    public static final int LENGTH = 40;

    /** Which engine query parameter names the content. */
    public enum Kind {
        /** An AceStream content id, sent to the engine as {@code id}. */
        CONTENT_ID("id"),
        /** A BitTorrent infohash, sent to the engine as {@code infohash}. */
        INFOHASH("infohash");

        private final String parameter;

        Kind(String parameter) {
            this.parameter = parameter;
        }

        /**
         * Returns the engine's query parameter for this kind.
         *
         * @return {@code id} or {@code infohash}
         */
        public String parameter() {
            return parameter;
        }
    }

    /**
     * Validates and normalises.
     *
     * @throws NullPointerException if either argument is null
     * @throws IllegalArgumentException if {@code hex} is not exactly 40 hexadecimal characters
     */
    public ContentId {
        Objects.requireNonNull(kind, "kind");
        hex = normalise(kind, hex);
    }

    /**
     * Parses an AceStream content id ({@code id}).
     *
     * @param value the id as a client gave it
     * @return the content id
     * @throws IllegalArgumentException if {@code value} is not exactly 40 hexadecimal characters;
     *     the message says what is wrong with it
     */
    public static ContentId id(String value) {
        return new ContentId(Kind.CONTENT_ID, value);
    }

    /**
     * Parses a BitTorrent infohash ({@code infohash}).
     *
     * @param value the infohash as a client gave it
     * @return the content id
     * @throws IllegalArgumentException if {@code value} is not exactly 40 hexadecimal characters;
     *     the message says what is wrong with it
     */
    public static ContentId infohash(String value) {
        return new ContentId(Kind.INFOHASH, value);
    }

    private static String normalise(Kind kind, String value) {
        String name = kind.parameter();
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (value.length() != LENGTH) {
            throw new IllegalArgumentException(name + " must be exactly " + LENGTH
                    + " hexadecimal characters, got " + value.length() + " characters");
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = value.charAt(i);
            if (AsciiHex.value(c) < 0) {
                throw new IllegalArgumentException(name + " must be hexadecimal: character "
                        + (i + 1) + " is " + describe(c));
            }
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static String describe(char c) {
        if (c >= 0x21 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    /**
     * Returns the engine parameter and value, as in {@code id=0123...}.
     *
     * @return a form suitable for logs and query strings
     */
    @Override
    public String toString() {
        return kind.parameter() + "=" + hex;
    }
}
