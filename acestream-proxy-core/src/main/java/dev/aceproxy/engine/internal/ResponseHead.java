package dev.aceproxy.engine.internal;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status line and header fields of one HTTP/1.x response, read with fixed bounds: a line of
 * at most {@link #MAX_LINE_BYTES}, at most {@link #MAX_FIELDS} fields, and a head of at most
 * {@link #MAX_HEAD_BYTES} in all. Folded lines, whitespace before a field's colon and names that
 * are not tokens are refused.
 *
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param status the three-digit status code
 * @param fields the header fields in arrival order, names as sent
 */
public record ResponseHead(String version, int status, List<Field> fields) {

    /** The longest status line or header line, ending included. */
    public static final int MAX_LINE_BYTES = 8192;
    /** The most header fields in one head. */
    public static final int MAX_FIELDS = 100;
    /** The most bytes in one head, status line and empty line included. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;

    /**
     * A header field.
     *
     * @param name the name as sent
     * @param value the value without surrounding whitespace
     */
    public record Field(String name, String value) {
    }

    /** Keeps the fields unmodifiable. */
    public ResponseHead {
        fields = List.copyOf(fields);
    }

    /**
     * Reads a head from the input.
     *
     * @param in the connection's input, positioned at a status line
     * @return the head; the input is left at the first byte of the body
     * @throws EOFException if the input ends before the head is complete (or before it starts)
     * @throws MalformedHttpException if the head breaks HTTP/1.x or a bound
     * @throws IOException if the connection fails
     */
    public static ResponseHead read(WireInput in) throws IOException {
        String statusLine = in.readLine(MAX_LINE_BYTES, "the status line");
        if (statusLine == null) {
            throw new EOFException("the engine closed the connection without answering");
        }
        int headBytes = statusLine.length() + 2;
        String version = statusLine.length() >= 8 ? statusLine.substring(0, 8) : "";
        if (!(version.equals("HTTP/1.1") || version.equals("HTTP/1.0"))
                || statusLine.length() < 12 || statusLine.charAt(8) != ' '
                || !isDigits(statusLine, 9, 12)
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new MalformedHttpException("not an HTTP/1.x status line: \"" + printable(statusLine) + "\"");
        }
        int status = Integer.parseInt(statusLine, 9, 12, 10);
        List<Field> fields = new ArrayList<>();
        while (true) {
            String line = in.readLine(MAX_LINE_BYTES, "a header line");
            if (line == null) {
                throw new EOFException("the engine's answer ended inside its head");
            }
            headBytes += line.length() + 2;
            if (headBytes > MAX_HEAD_BYTES) {
                throw new MalformedHttpException("a response head larger than " + MAX_HEAD_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                return new ResponseHead(version, status, fields);
            }
            if (fields.size() == MAX_FIELDS) {
                throw new MalformedHttpException("more than " + MAX_FIELDS + " header fields");
            }
            fields.add(field(line));
        }
    }

    /**
     * Returns the value of the first field of this name.
     *
     * @param name a field name, compared without regard to case
     * @return the value, or empty when there is no such field
     */
    public Optional<String> first(String name) {
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the values of every field of this name, in arrival order.
     *
     * @param name a field name, compared without regard to case
     * @return the values, possibly empty
     */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                values.add(f.value());
            }
        }
        return values;
    }

    private static Field field(String line) throws MalformedHttpException {
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
            throw new MalformedHttpException("a folded header line (obsolete line folding is refused)");
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new MalformedHttpException("a header line without a field name and colon: \""
                    + printable(line) + "\"");
        }
        for (int i = 0; i < colon; i++) {
            if (!isTokenChar(line.charAt(i))) {
                throw new MalformedHttpException("a header field name that is not a token: \""
                        + printable(line.substring(0, colon)) + "\"");
            }
        }
        String value = line.substring(colon + 1).strip();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new MalformedHttpException("a control character in the value of header field "
                        + line.substring(0, colon));
            }
        }
        return new Field(line.substring(0, colon), value);
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A short, printable rendering of untrusted text for messages. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 80));
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return s.length() > 80 ? out + "..." : out.toString();
    }
}
