package dev.aceproxy.internal.json;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A typed view of one parsed JSON object that knows where it sits in its document.
 *
 * <p>Each accessor either returns a value of the requested type or throws a
 * {@link JsonParseException} whose message starts with the field's path (as in
 * {@code response.peers: expected an integer, found a string}). The {@code optional...} accessors
 * treat a member that is absent and a member whose value is {@code null} alike. Immutable and safe
 * to share between threads.
 */
public final class JsonObject {

    private final Map<String, Object> members;
    private final String path;

    JsonObject(Map<String, Object> members, String path) {
        this.members = members;
        this.path = path;
    }

    /**
     * Wraps an object value produced by {@link JsonReader#parse(String)}.
     *
     * @param members the parsed object
     * @param path where the object sits in its document, as dotted field names; empty for the top level
     * @return the view
     * @throws NullPointerException if an argument is null
     */
    public static JsonObject of(Map<String, Object> members, String path) {
        return new JsonObject(Objects.requireNonNull(members, "members"), Objects.requireNonNull(path, "path"));
    }

    /**
     * Returns the object's members in document order.
     *
     * @return the unmodifiable members
     */
    public Map<String, Object> members() {
        return members;
    }

    /**
     * Returns where this object sits in its document.
     *
     * @return dotted field names, empty for the top-level object
     */
    public String path() {
        return path;
    }

    /**
     * Tells whether a member is present with a value other than {@code null}.
     *
     * @param name the member's name
     * @return {@code false} if the member is absent or {@code null}
     */
    public boolean has(String name) {
        Object value = members.get(name);
        return value != null && value != JsonNull.NULL;
    }

    /**
     * Returns a member that must be a string.
     *
     * @param name the member's name
     * @return the string
     * @throws JsonParseException if the member is absent, {@code null} or not a string
     */
    public String string(String name) throws JsonParseException {
        return optionalString(name).orElseThrow(() -> missing(name));
    }

    /**
     * Returns a member that, when present and not {@code null}, must be a string.
     *
     * @param name the member's name
     * @return the string, or empty if the member is absent or {@code null}
     * @throws JsonParseException if the member is of another type
     */
    public Optional<String> optionalString(String name) throws JsonParseException {
        Object value = members.get(name);
        if (value == null || value == JsonNull.NULL) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return Optional.of(s);
        }
        throw wrongType(name, "a string", value);
    }

    /**
     * Returns a member that must be an integral number fitting in 64 bits.
     *
     * @param name the member's name
     * @return the number
     * @throws JsonParseException if the member is absent, {@code null}, not a number, not integral
     *     or out of range
     */
    public long longValue(String name) throws JsonParseException {
        OptionalLong value = optionalLong(name);
        if (value.isEmpty()) {
            throw missing(name);
        }
        return value.getAsLong();
    }

    /**
     * Returns a member that, when present and not {@code null}, must be an integral number fitting in
     * 64 bits. A number written with a fraction or exponent is accepted when its value is integral
     * ({@code 7.0}, {@code 7e2}).
     *
     * @param name the member's name
     * @return the number, or empty if the member is absent or {@code null}
     * @throws JsonParseException if the member is not a number, not integral or out of range
     */
    public OptionalLong optionalLong(String name) throws JsonParseException {
        Object value = members.get(name);
        if (value == null || value == JsonNull.NULL) {
            return OptionalLong.empty();
        }
        if (value instanceof Long l) {
            return OptionalLong.of(l);
        }
        if (value instanceof BigDecimal d) {
            if (d.signum() != 0 && d.precision() - d.scale() <= 0) {
                throw new JsonParseException(pathOf(name) + ": expected an integer, found " + d.toString());
            }
            if (d.precision() - d.scale() > 19) {
                throw new JsonParseException(pathOf(name) + ": integer out of the 64-bit range");
            }
            try {
                return OptionalLong.of(d.longValueExact());
            } catch (ArithmeticException e) {
                if (d.stripTrailingZeros().scale() > 0) {
                    throw new JsonParseException(pathOf(name) + ": expected an integer, found " + d.toString());
                }
                throw new JsonParseException(pathOf(name) + ": integer out of the 64-bit range");
            }
        }
        throw wrongType(name, "an integer", value);
    }

    /**
     * Returns a member that must be an integral number fitting in 32 bits.
     *
     * @param name the member's name
     * @return the number
     * @throws JsonParseException if the member is absent, {@code null}, not a number, not integral
     *     or out of range
     */
    public int intValue(String name) throws JsonParseException {
        long value = longValue(name);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new JsonParseException(pathOf(name) + ": integer out of the 32-bit range");
        }
        return (int) value;
    }

    /**
     * Returns a member that must be a boolean. The engine writes some flags as the integers
     * {@code 0} and {@code 1}; those are accepted too.
     *
     * @param name the member's name
     * @return the flag
     * @throws JsonParseException if the member is absent, {@code null}, or neither a boolean nor
     *     {@code 0}/{@code 1}
     */
    public boolean flag(String name) throws JsonParseException {
        Optional<Boolean> value = optionalFlag(name);
        if (value.isEmpty()) {
            throw missing(name);
        }
        return value.get();
    }

    /**
     * Returns a member that, when present and not {@code null}, must be a boolean or the integer
     * {@code 0} or {@code 1}.
     *
     * @param name the member's name
     * @return the flag, or empty if the member is absent or {@code null}
     * @throws JsonParseException if the member is of another type or another number
     */
    public Optional<Boolean> optionalFlag(String name) throws JsonParseException {
        Object value = members.get(name);
        if (value == null || value == JsonNull.NULL) {
            return Optional.empty();
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof Long l && (l == 0 || l == 1)) {
            return Optional.of(l == 1);
        }
        throw wrongType(name, "a boolean or 0/1", value);
    }

    /**
     * Returns a member that must be an object.
     *
     * @param name the member's name
     * @return the object, with its path
     * @throws JsonParseException if the member is absent, {@code null} or not an object
     */
    public JsonObject object(String name) throws JsonParseException {
        return optionalObject(name).orElseThrow(() -> missing(name));
    }

    /**
     * Returns a member that, when present and not {@code null}, must be an object.
     *
     * @param name the member's name
     * @return the object with its path, or empty if the member is absent or {@code null}
     * @throws JsonParseException if the member is of another type
     */
    public Optional<JsonObject> optionalObject(String name) throws JsonParseException {
        Object value = members.get(name);
        if (value == null || value == JsonNull.NULL) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> child = (Map<String, Object>) map;
            return Optional.of(new JsonObject(child, pathOf(name)));
        }
        throw wrongType(name, "an object", value);
    }

    /**
     * Returns the raw value of a member.
     *
     * @param name the member's name
     * @return the value as {@link JsonReader} produced it, or empty if the member is absent; a
     *     {@code null} member gives {@link JsonNull#NULL}
     */
    public Optional<Object> value(String name) {
        return Optional.ofNullable(members.get(name));
    }

    /**
     * Returns the dotted path of a member of this object.
     *
     * @param name the member's name
     * @return for example {@code response.peers}
     */
    public String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private JsonParseException missing(String name) {
        Object value = members.get(name);
        return new JsonParseException(pathOf(name) + (value == null ? ": missing" : ": must not be null"));
    }

    private JsonParseException wrongType(String name, String expected, Object value) {
        return new JsonParseException(pathOf(name) + ": expected " + expected + ", found " + describeType(value));
    }

    static String describeType(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Long || value instanceof BigDecimal) {
            return "the number " + value;
        }
        if (value instanceof Boolean) {
            return "the boolean " + value;
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        return "null";
    }

    /**
     * Describes the object by its path.
     *
     * @return for example {@code JsonObject[response, 9 members]}
     */
    @Override
    public String toString() {
        return "JsonObject[" + (path.isEmpty() ? "(top level)" : path) + ", " + members.size() + " members]";
    }
}
