package dev.aceproxy.testkit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON object written in the engine's layout ({@code {"key": value, ...}}), for the fake's
 * answers. Values are strings, numbers, booleans, null or nested objects. Not thread-safe.
 */
final class EngineJson {

    private final List<String> members = new ArrayList<>();

    EngineJson put(String name, Object value) {
        members.add(quote(name) + ": " + render(value));
        return this;
    }

    @Override
    public String toString() {
        return "{" + String.join(", ", members) + "}";
    }

    private static String render(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return quote(text);
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof EngineJson) {
            return value.toString();
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass());
    }

    private static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
