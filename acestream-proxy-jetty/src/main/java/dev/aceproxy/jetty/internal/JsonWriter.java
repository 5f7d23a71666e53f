package dev.aceproxy.jetty.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Builds one JSON document in memory, with commas and escaping handled. Not thread-safe; one
 * writer per response.
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder(256);
    /** One entry per open container: true once it holds a member, so the next needs a comma. */
    private final Deque<Boolean> open = new ArrayDeque<>();
    private boolean afterName;

    /**
     * Opens an object.
     *
     * @return this writer
     */
    public JsonWriter beginObject() {
        separate();
        out.append('{');
        open.push(false);
        return this;
    }

    /**
     * Closes the innermost object.
     *
     * @return this writer
     */
    public JsonWriter endObject() {
        open.pop();
        out.append('}');
        return this;
    }

    /**
     * Opens an array.
     *
     * @return this writer
     */
    public JsonWriter beginArray() {
        separate();
        out.append('[');
        open.push(false);
        return this;
    }

    /**
     * Closes the innermost array.
     *
     * @return this writer
     */
    public JsonWriter endArray() {
        open.pop();
        out.append(']');
        return this;
    }

    /**
     * Writes a member name; the next value belongs to it.
     *
     * @param name the name
     * @return this writer
     */
    public JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(':');
        afterName = true;
        return this;
    }

    /**
     * Writes a string, or {@code null}.
     *
     * @param value the value
     * @return this writer
     */
    public JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    /**
     * Writes a number.
     *
     * @param value the value
     * @return this writer
     */
    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    /**
     * Writes a number; a value that is not finite becomes {@code null}.
     *
     * @param value the value
     * @return this writer
     */
    public JsonWriter value(double value) {
        separate();
        out.append(Double.isFinite(value) ? Double.toString(value) : "null");
        return this;
    }

    /**
     * Writes a boolean.
     *
     * @param value the value
     * @return this writer
     */
    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /**
     * Writes {@code null}.
     *
     * @return this writer
     */
    public JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /**
     * Returns the document written so far.
     *
     * @return the JSON text
     */
    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * Hands the text written so far to {@code sink} and forgets it, so that a long document can be
     * sent in parts without being held whole; the writer's state (open containers, commas) is
     * kept.
     *
     * @param sink where the text goes
     * @throws java.io.IOException if the sink fails
     */
    public void drainTo(java.io.Writer sink) throws java.io.IOException {
        sink.append(out);
        out.setLength(0);
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!open.isEmpty()) {
            if (open.peek()) {
                out.append(',');
            } else {
                open.pop();
                open.push(true);
            }
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // Control characters, and the separators some JavaScript parsers choke on.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
