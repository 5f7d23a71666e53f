package dev.aceproxy.internal.json;

import dev.aceproxy.internal.AsciiHex;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader for small, untrusted documents.
 *
 * <p>Values come back immutable: an object is an unmodifiable {@code Map<String, Object>} that keeps
 * the document's member order, an array an unmodifiable {@code List<Object>}, a string a
 * {@code String}, a number a {@code Long} when it is written as an integer that fits in 64 bits and
 * a {@code BigDecimal} otherwise, {@code true}/{@code false} a {@code Boolean}, and {@code null} the
 * sentinel {@link JsonNull#NULL}.
 *
 * <p>Anything else is refused with a {@link JsonParseException} that gives the line, the column and
 * what was expected: truncated documents, trailing text after the value, bad escapes, raw control
 * characters in strings, unpaired UTF-16 surrogates (escaped or raw), leading zeros, duplicate
 * object keys, a byte-order mark, nesting deeper than {@link #MAX_DEPTH}, and numbers longer than
 * {@link #MAX_NUMBER_LENGTH} characters. The reader recurses at most {@link #MAX_DEPTH} levels, so
 * it cannot overflow the stack, and its work is linear in the length of the text.
 *
 * <p>The reader keeps no state between calls and is safe to use from any thread.
 */
public final class JsonReader {

    /** The deepest nesting of arrays and objects accepted; the top-level value is at depth 1. */
    public static final int MAX_DEPTH = 64;

    /**
     * The longest number accepted, in characters. Converting very long digit strings costs more
     * than linear time, and no engine answer needs more than a few digits.
     */
    public static final int MAX_NUMBER_LENGTH = 100;

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * Parses one complete JSON document.
     *
     * @param text the document; surrounding JSON whitespace is allowed
     * @return the immutable value, never Java {@code null}
     * @throws JsonParseException if the text is not exactly one valid JSON value within the limits
     * @throws NullPointerException if {@code text} is null
     */
    public static Object parse(String text) throws JsonParseException {
        if (text == null) {
            throw new NullPointerException("text");
        }
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.readValue(1);
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("expected end of input after the top-level value");
        }
        return value;
    }

    /**
     * Parses a document whose top-level value must be an object.
     *
     * @param text the document
     * @return a typed view of the top-level object, with the empty path
     * @throws JsonParseException if the text is not valid JSON or its top-level value is not an object
     * @throws NullPointerException if {@code text} is null
     */
    public static JsonObject parseObject(String text) throws JsonParseException {
        Object value = parse(text);
        if (!(value instanceof Map<?, ?>)) {
            throw new JsonParseException("expected a JSON object at the top level, found "
                    + JsonObject.describeType(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) value;
        return new JsonObject(members, "");
    }

    private Object readValue(int depth) throws JsonParseException {
        if (pos >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> readObject(depth);
            case '[' -> readArray(depth);
            case '"' -> readString();
            case 't' -> readLiteral("true", Boolean.TRUE);
            case 'f' -> readLiteral("false", Boolean.FALSE);
            case 'n' -> readLiteral("null", JsonNull.NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield readNumber();
                }
                throw error("expected a value");
            }
        };
    }

    private Map<String, Object> readObject(int depth) throws JsonParseException {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected '\"' to start an object key");
            }
            int keyStart = pos;
            String key = readString();
            skipWhitespace();
            if (peek() != ':') {
                throw error("expected ':' after an object key");
            }
            pos++;
            skipWhitespace();
            Object value = readValue(depth + 1);
            if (members.putIfAbsent(key, value) != null) {
                throw errorAt(keyStart, "duplicate object key \"" + abbreviate(key) + "\"");
            }
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return Collections.unmodifiableMap(members);
            } else {
                throw error("expected ',' or '}' after an object member");
            }
        }
    }

    private List<Object> readArray(int depth) throws JsonParseException {
        checkDepth(depth);
        pos++; // '['
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return List.of();
        }
        while (true) {
            skipWhitespace();
            elements.add(readValue(depth + 1));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return List.copyOf(elements);
            } else {
                throw error("expected ',' or ']' after an array element");
            }
        }
    }

    private void checkDepth(int depth) throws JsonParseException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String readString() throws JsonParseException {
        int start = pos;
        pos++; // opening quote
        StringBuilder out = null;
        int runStart = pos;
        while (true) {
            if (pos >= text.length()) {
                throw errorAt(pos, "expected '\"' to close the string that starts at "
                        + location(start));
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String value;
                if (out == null) {
                    value = text.substring(runStart, pos);
                } else {
                    value = out.append(text, runStart, pos).toString();
                }
                pos++;
                return value;
            }
            if (c < 0x20) {
                throw error("control character in a string (must be escaped)");
            }
            if (Character.isHighSurrogate(c)) {
                if (pos + 1 < text.length() && Character.isLowSurrogate(text.charAt(pos + 1))) {
                    pos += 2;
                    continue;
                }
                throw error("unpaired UTF-16 surrogate in a string");
            }
            if (Character.isLowSurrogate(c)) {
                throw error("unpaired UTF-16 surrogate in a string");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder();
            }
            out.append(text, runStart, pos);
            readEscape(out);
            runStart = pos;
        }
    }

    private void readEscape(StringBuilder out) throws JsonParseException {
        int escapeStart = pos;
        pos++; // backslash
        if (pos >= text.length()) {
            throw error("expected an escape character after '\\'");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                pos++;
                char unit = readHex4();
                if (Character.isHighSurrogate(unit)) {
                    if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                        int lowStart = pos;
                        pos += 2;
                        char low = readHex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw errorAt(lowStart, "expected a low surrogate escape (\\uDC00-\\uDFFF)"
                                    + " after the high surrogate escape at " + location(escapeStart));
                        }
                        out.append(unit).append(low);
                        return;
                    }
                    throw errorAt(escapeStart, "unpaired UTF-16 surrogate escape");
                }
                if (Character.isLowSurrogate(unit)) {
                    throw errorAt(escapeStart, "unpaired UTF-16 surrogate escape");
                }
                out.append(unit);
                return; // readHex4 already moved past the digits
            }
            default -> throw error("invalid escape character (expected one of \" \\ / b f n r t u)");
        }
        pos++;
    }

    private char readHex4() throws JsonParseException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (pos >= text.length()) {
                throw error("expected 4 hexadecimal digits after \\u");
            }
            int digit = AsciiHex.value(text.charAt(pos));
            if (digit < 0) {
                throw error("expected 4 hexadecimal digits after \\u");
            }
            value = value * 16 + digit;
            pos++;
        }
        return (char) value;
    }

    private Object readLiteral(String literal, Object value) throws JsonParseException {
        if (!text.startsWith(literal, pos)) {
            throw error("expected the literal " + literal);
        }
        pos += literal.length();
        return value;
    }

    private Object readNumber() throws JsonParseException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        char first = peek();
        if (first == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in a number");
            }
        } else if (isDigit(first)) {
            skipDigits();
        } else {
            throw error("expected a digit");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point");
            }
            skipDigits();
        }
        char e = peek();
        if (e == 'e' || e == 'E') {
            integral = false;
            pos++;
            char sign = peek();
            if (sign == '+' || sign == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent");
            }
            skipDigits();
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw errorAt(start, "number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        String token = text.substring(start, pos);
        if (integral && pos - start <= 18) {
            return Long.valueOf(token);
        }
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(token);
        } catch (NumberFormatException | ArithmeticException outOfRange) {
            throw errorAt(start, "number out of range");
        }
        if (integral && decimal.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
                && decimal.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return decimal.longValue();
        }
        return decimal;
    }

    private void skipDigits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Returns the current character, or {@code '\0'} at the end (never valid where it is tested). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private JsonParseException error(String expected) {
        return errorAt(pos, expected);
    }

    private JsonParseException errorAt(int at, String expected) {
        String found = at >= text.length() ? "end of input" : describe(text.charAt(at));
        return new JsonParseException("malformed JSON at " + location(at) + ": " + expected
                + ", found " + found);
    }

    private String location(int at) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (at - lineStart + 1);
    }

    private static String describe(char c) {
        if (c >= 0x21 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    private static String abbreviate(String key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < key.length() && i < 40; i++) {
            char c = key.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return key.length() > 40 ? out + "..." : out.toString();
    }
}
