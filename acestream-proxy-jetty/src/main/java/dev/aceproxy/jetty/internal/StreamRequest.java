package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.ContentId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A validated {@code /ace/getstream} request: exactly one content selector and the engine
 * parameters a client may pass.
 *
 * <p>Rules: {@code pid} is ignored (the proxy chooses player ids) but must still be one value of
 * {@code [A-Za-z0-9_.,:-]{1,64}}, {@code token} belongs to the access check (here it must be one
 * value without control characters), parameters that would make the engine fetch something else ({@code url},
 * {@code magnet}, {@code direct_url}, {@code content_id}) or that the proxy sets itself
 * ({@code sid}, {@code format}) are refused, parameters on the engines' allow-list pass through,
 * and anything else is refused as unknown.
 *
 * @param content the content to play
 * @param parameters the engine parameters to pass through
 */
public record StreamRequest(ContentId content, Map<String, String> parameters) {

    /** Parameters accepted and dropped. */
    public static final Set<String> IGNORED = Set.of("pid", "token");
    /** Parameters refused because they would make the engine fetch something else. */
    public static final Set<String> REFUSED_REDIRECTS = Set.of("url", "magnet", "direct_url", "content_id");
    /** Parameters refused because the proxy sets them itself. */
    public static final Set<String> REFUSED_RESERVED = Set.of("sid", "format");

    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.,:-]{1,64}");

    /**
     * Copies the parameters.
     *
     * @throws NullPointerException if an argument is null
     */
    public StreamRequest {
        java.util.Objects.requireNonNull(content, "content");
        parameters = Map.copyOf(parameters);
    }

    /**
     * Validates a query.
     *
     * @param query the decoded query
     * @param engineParameters the parameters the engines accept
     * @return the request
     * @throws HttpProblem a 400 for a missing, doubled or malformed content selector, a refused,
     *     unknown, repeated or empty parameter (ignored ones included), a value outside
     *     {@code [A-Za-z0-9_.,:-]{1,64}}, or a token with a control character
     */
    public static StreamRequest parse(QueryParameters query, Set<String> engineParameters) throws HttpProblem {
        refuseRedirects(query);
        Optional<String> id = query.single("id");
        Optional<String> infohash = query.single("infohash");
        if (id.isPresent() && infohash.isPresent()) {
            throw HttpProblem.badRequest("ambiguous_content", "give either id or infohash, not both");
        }
        if (id.isEmpty() && infohash.isEmpty()) {
            throw HttpProblem.badRequest("missing_content",
                    "give the content as id=<40 hex characters> or infohash=<40 hex characters>");
        }
        ContentId content;
        try {
            content = id.isPresent() ? ContentId.id(id.get()) : ContentId.infohash(infohash.get());
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_content", e.getMessage());
        }
        return new StreamRequest(content, engineParameters(query, engineParameters, Set.of("id", "infohash")));
    }

    /**
     * Validates the parameters of a query besides its content selector and returns those for the
     * engine: {@code pid} and {@code token} are checked and dropped, the rest must be on the
     * engines' allow-list.
     *
     * @param query the decoded query
     * @param engineParameters the parameters the engines accept
     * @param selectors the names of the content selector parameters, checked by the caller
     * @return the engine parameters, in query order
     * @throws HttpProblem a 400 for a refused, unknown, repeated or empty parameter, a value
     *     outside {@code [A-Za-z0-9_.,:-]{1,64}}, or a token with a control character
     */
    public static Map<String, String> engineParameters(QueryParameters query, Set<String> engineParameters,
                                                       Set<String> selectors) throws HttpProblem {
        Optional<String> pid = query.single("pid");
        if (pid.isPresent() && !VALUE.matcher(pid.get()).matches()) {
            throw HttpProblem.badRequest("invalid_parameter", "parameter pid must be 1 to 64 letters, digits or _ . , : -");
        }
        query.opaque("token");
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : query.names()) {
            if (selectors.contains(name) || IGNORED.contains(name)) {
                continue;
            }
            if (!engineParameters.contains(name)) {
                Set<String> accepted = new TreeSet<>(engineParameters);
                accepted.addAll(selectors);
                accepted.add("pid");
                throw HttpProblem.badRequest("unknown_parameter",
                        "parameter " + name + " is not understood; accepted: " + String.join(", ", accepted));
            }
            String value = query.single(name).orElseThrow();
            if (!VALUE.matcher(value).matches()) {
                throw HttpProblem.badRequest("invalid_parameter",
                        "parameter " + name + " must be 1 to 64 letters, digits or _ . , : -");
            }
            parameters.put(name, value);
        }
        return parameters;
    }

    /**
     * Refuses the parameters that would make the engine fetch something else, and those the
     * proxy sets itself.
     *
     * @param query the decoded query
     * @throws HttpProblem a 400 naming the first such parameter
     */
    public static void refuseRedirects(QueryParameters query) throws HttpProblem {
        for (String name : query.names()) {
            if (REFUSED_REDIRECTS.contains(name)) {
                throw HttpProblem.badRequest("parameter_refused", "parameter " + name
                        + " is refused: this proxy only plays content named by id or infohash");
            }
            if (REFUSED_RESERVED.contains(name)) {
                throw HttpProblem.badRequest("parameter_refused",
                        "parameter " + name + " is refused: the proxy sets it itself");
            }
        }
    }
}
