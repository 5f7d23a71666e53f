package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.ContentId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated HLS segment request: {@code id} or {@code infohash}, the HLS session's tag
 * {@code s} and the segment's number {@code n}, and nothing else but {@code token}.
 *
 * @param content the content, when the segment is of a content's session
 * @param channel the channel's name, when the segment is of a channel's session
 * @param session the HLS session's tag
 * @param sequence the segment's number
 */
public record SegmentRequest(Optional<ContentId> content, Optional<String> channel, String session, long sequence) {

    /** The parameters a segment request may carry. */
    public static final Set<String> ACCEPTED = Set.of("id", "infohash", "channel", "s", "n", "token");

    private static final Pattern TAG = Pattern.compile("[0-9a-f]{1,16}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");

    /**
     * Validates.
     *
     * @throws NullPointerException if an argument is null
     */
    public SegmentRequest {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(session, "session");
        if (content.isPresent() == channel.isPresent()) {
            throw new IllegalArgumentException("a segment belongs to one content or one channel");
        }
    }

    /**
     * Validates a query.
     *
     * @param query the decoded query
     * @return the request
     * @throws HttpProblem a 400 for a missing, doubled or malformed parameter, or an unknown one
     */
    public static SegmentRequest parse(QueryParameters query) throws HttpProblem {
        query.requireOnly(ACCEPTED);
        query.opaque("token");
        Optional<String> id = query.single("id");
        Optional<String> infohash = query.single("infohash");
        Optional<String> channel = query.opaque("channel");
        if ((id.isPresent() ? 1 : 0) + (infohash.isPresent() ? 1 : 0) + (channel.isPresent() ? 1 : 0) != 1) {
            throw HttpProblem.badRequest("missing_content",
                    "give the content as exactly one of id, infohash or channel");
        }
        Optional<ContentId> content;
        try {
            content = channel.isPresent() ? Optional.empty()
                    : Optional.of(id.isPresent() ? ContentId.id(id.get()) : ContentId.infohash(infohash.get()));
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_content", e.getMessage());
        }
        String session = query.single("s").orElseThrow(
                () -> HttpProblem.badRequest("missing_parameter", "parameter s (the HLS session) is missing"));
        if (!TAG.matcher(session).matches()) {
            throw HttpProblem.badRequest("invalid_parameter", "parameter s must be 1 to 16 lowercase hex digits");
        }
        String number = query.single("n").orElseThrow(
                () -> HttpProblem.badRequest("missing_parameter", "parameter n (the segment number) is missing"));
        if (!NUMBER.matcher(number).matches()) {
            throw HttpProblem.badRequest("invalid_parameter", "parameter n must be 1 to 18 decimal digits");
        }
        return new SegmentRequest(content, channel, session, Long.parseLong(number));
    }
}
