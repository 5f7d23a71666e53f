package dev.aceproxy.jetty.m3u;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code name=value} attributes the way IPTV playlists write them, from a position in a
 * line up to the first comma outside a value (the title's start) or the line's end.
 *
 * <p>Values may be in double or single quotes, or bare. A quoted value ends at a matching quote
 * that is followed by a comma, the line's end, or blanks and then a comma, the end or the next
 * {@code name=}, so quotes, commas and {@code =} inside a value survive
 * ({@code tvg-name="The "Big" Match"}); a quote that is never closed that way takes
 * the rest of the line up to its last matching quote. A bare value ends at a blank or a comma. A
 * word without {@code =} is kept as an attribute with an empty value. Not thread-safe; one per line.
 */
final class AttributeReader {

    private final String line;
    private int pos;

    AttributeReader(String line, int start) {
        this.line = line;
        this.pos = start;
    }

    /** Reads a token up to a blank or a comma (the duration of an {@code #EXTINF}). */
    String token() {
        skipBlanks();
        int start = pos;
        while (pos < line.length() && !blank(line.charAt(pos)) && line.charAt(pos) != ',') {
            pos++;
        }
        return line.substring(start, pos);
    }

    /** Reads attributes up to the title's comma (consumed) or the end. */
    Map<String, String> attributes() {
        Map<String, String> out = new LinkedHashMap<>();
        while (true) {
            skipBlanks();
            if (pos >= line.length()) {
                return out;
            }
            if (line.charAt(pos) == ',') {
                pos++;
                return out;
            }
            int start = pos;
            while (pos < line.length() && !blank(line.charAt(pos)) && line.charAt(pos) != '='
                    && line.charAt(pos) != ',') {
                pos++;
            }
            String name = line.substring(start, pos);
            if (pos < line.length() && line.charAt(pos) == '=') {
                pos++;
                out.putIfAbsent(name, value());
            } else {
                out.putIfAbsent(name, "");
            }
        }
    }

    /** Returns what is left of the line. */
    String rest() {
        return pos >= line.length() ? "" : line.substring(pos);
    }

    private String value() {
        if (pos >= line.length()) {
            return "";
        }
        char first = line.charAt(pos);
        if (first == '"' || first == '\'') {
            int open = pos + 1;
            int close = open;
            while (true) {
                close = line.indexOf(first, close);
                if (close < 0) {
                    break;
                }
                int after = close + 1;
                if (closes(after)) {
                    pos = after;
                    return line.substring(open, close);
                }
                close = after;
            }
            int last = line.lastIndexOf(first);
            if (last >= open) {
                pos = last + 1;
                return line.substring(open, last);
            }
            // An opening quote never closed: the value is the rest up to a blank or comma.
            pos = open;
        }
        int start = pos;
        while (pos < line.length() && !blank(line.charAt(pos)) && line.charAt(pos) != ',') {
            pos++;
        }
        return line.substring(start, pos);
    }

    /**
     * Tells whether a quote just before {@code after} closes its value: it is followed by the
     * line's end, a comma, or blanks and then the end, a comma or another {@code name=}.
     */
    private boolean closes(int after) {
        int i = after;
        if (i >= line.length() || line.charAt(i) == ',') {
            return true;
        }
        if (!blank(line.charAt(i))) {
            return false;
        }
        while (i < line.length() && blank(line.charAt(i))) {
            i++;
        }
        if (i >= line.length() || line.charAt(i) == ',') {
            return true;
        }
        int start = i;
        while (i < line.length() && (Character.isLetterOrDigit(line.charAt(i)) || line.charAt(i) == '-'
                || line.charAt(i) == '_' || line.charAt(i) == '.' || line.charAt(i) == ':')) {
            i++;
        }
        return i > start && i < line.length() && line.charAt(i) == '=';
    }

    private void skipBlanks() {
        while (pos < line.length() && blank(line.charAt(pos))) {
            pos++;
        }
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }
}
