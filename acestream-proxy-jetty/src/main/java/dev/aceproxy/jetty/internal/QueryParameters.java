package dev.aceproxy.jetty.internal;

import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's query string, decoded by the adapter itself so that every kind of bad input (a
 * broken escape, a repeated or empty parameter, an oversized value) becomes a clear 400 with a
 * JSON body instead of the container's generic error page.
 */
public final class QueryParameters {

    /** The longest query string accepted, in characters. */
    public static final int MAX_QUERY_LENGTH = 4096;
    /** The most parameters accepted in one query. */
    public static final int MAX_PARAMETERS = 32;
    /** The longest single value accepted, in characters. */
    public static final int MAX_VALUE_LENGTH = 256;

    private final Map<String, List<String>> values;

    private QueryParameters(Map<String, List<String>> values) {
        this.values = values;
    }

    /**
     * Decodes a raw query string ({@code application/x-www-form-urlencoded}, UTF-8).
     *
     * @param rawQuery the query string as sent, without {@code ?}, or null for none
     * @return the parameters, in the order first seen
     * @throws HttpProblem a 400 if the query is too long, has too many parameters, a malformed
     *     escape, invalid UTF-8, a parameter without a name or a value above
     *     {@link #MAX_VALUE_LENGTH}
     */
    public static QueryParameters parse(String rawQuery) throws HttpProblem {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParameters(values);
        }
        if (rawQuery.length() > MAX_QUERY_LENGTH) {
            throw HttpProblem.badRequest("query_too_long",
                    "the query string is longer than " + MAX_QUERY_LENGTH + " characters");
        }
        int count = 0;
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_PARAMETERS) {
                throw HttpProblem.badRequest("too_many_parameters",
                        "the query has more than " + MAX_PARAMETERS + " parameters");
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (name.isEmpty()) {
                throw HttpProblem.badRequest("invalid_query", "the query has a parameter without a name");
            }
            if (name.length() > 64) {
                throw HttpProblem.badRequest("invalid_query", "the query has a parameter name longer than 64 characters");
            }
            if (value.length() > MAX_VALUE_LENGTH) {
                throw HttpProblem.badRequest("invalid_parameter",
                        "parameter " + name + " is longer than " + MAX_VALUE_LENGTH + " characters");
            }
            values.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return new QueryParameters(values);
    }

    /**
     * Returns the names of every parameter present, in the order first seen.
     *
     * @return the names
     */
    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /**
     * Tells whether a parameter is present, with any value.
     *
     * @param name the parameter
     * @return true if it is present at least once
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * Returns the single, non-empty value of a parameter.
     *
     * @param name the parameter
     * @return its value, or empty if the parameter is absent
     * @throws HttpProblem a 400 if the parameter is repeated or its value is empty
     */
    public Optional<String> single(String name) throws HttpProblem {
        List<String> list = values.get(name);
        if (list == null) {
            return Optional.empty();
        }
        if (list.size() > 1) {
            throw HttpProblem.badRequest("repeated_parameter", "parameter " + name + " is given more than once");
        }
        String value = list.get(0);
        if (value.isEmpty()) {
            throw HttpProblem.badRequest("empty_parameter", "parameter " + name + " is empty");
        }
        return Optional.of(value);
    }

    /**
     * Returns the single, non-empty value of a parameter whose content the adapter does not
     * interpret (such as {@code token} when no token is configured), refusing control characters.
     *
     * @param name the parameter
     * @return its value, or empty if the parameter is absent
     * @throws HttpProblem a 400 if the parameter is repeated, empty or holds a control character
     */
    public Optional<String> opaque(String name) throws HttpProblem {
        Optional<String> value = single(name);
        if (value.isPresent() && value.get().chars().anyMatch(Character::isISOControl)) {
            throw HttpProblem.badRequest("invalid_parameter", "parameter " + name + " holds a control character");
        }
        return value;
    }

    /**
     * Refuses any parameter outside the given set.
     *
     * @param accepted the names this endpoint understands
     * @throws HttpProblem a 400 naming the first unknown parameter and listing the accepted ones
     */
    public void requireOnly(Set<String> accepted) throws HttpProblem {
        for (String name : values.keySet()) {
            if (!accepted.contains(name)) {
                throw HttpProblem.badRequest("unknown_parameter", "parameter " + name + " is not understood here"
                        + (accepted.isEmpty() ? "; this endpoint takes no parameters"
                                : "; accepted: " + String.join(", ", accepted.stream().sorted().toList())));
            }
        }
    }

    private static String decode(String raw) throws HttpProblem {
        try {
            String decoded = URLDecoder.decode(raw, StandardCharsets.ISO_8859_1);
            byte[] bytes = decoded.getBytes(StandardCharsets.ISO_8859_1);
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_query", "the query has a malformed %-escape");
        } catch (CharacterCodingException e) {
            throw HttpProblem.badRequest("invalid_query", "the query is not valid UTF-8");
        }
    }
}
