package dev.aceproxy.jetty.internal;

import dev.aceproxy.jetty.playlist.ChannelDirectory;
import dev.aceproxy.registry.Channel;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A validated {@code /ace/getstream?channel=NAME} request: a channel the directory knows and the
 * engine parameters, checked as {@link StreamRequest} checks them.
 *
 * @param channel the channel to play
 * @param parameters the engine parameters to pass through
 */
public record ChannelRequest(Channel channel, Map<String, String> parameters) {

    /** The selector parameter. */
    public static final String PARAMETER = "channel";

    /**
     * Copies the parameters.
     *
     * @throws NullPointerException if an argument is null
     */
    public ChannelRequest {
        Objects.requireNonNull(channel, "channel");
        parameters = Map.copyOf(parameters);
    }

    /**
     * Validates a query that names a channel.
     *
     * @param query the decoded query, holding {@code channel}
     * @param engineParameters the parameters the engines accept
     * @param channels the directory to look the name up in
     * @return the request
     * @throws HttpProblem a 400 for a refused, repeated, empty or unknown parameter, or a channel
     *     named together with {@code id} or {@code infohash}; a 404 for a name the directory does
     *     not know
     */
    public static ChannelRequest parse(QueryParameters query, Set<String> engineParameters,
                                       ChannelDirectory channels) throws HttpProblem {
        StreamRequest.refuseRedirects(query);
        if (query.has("id") || query.has("infohash")) {
            throw HttpProblem.badRequest("ambiguous_content", "give either a channel or a content id, not both");
        }
        String name = query.opaque(PARAMETER).orElseThrow();
        Map<String, String> parameters = StreamRequest.engineParameters(query, engineParameters, Set.of(PARAMETER));
        Channel channel = channels.channel(name).orElseThrow(() -> HttpProblem.of(404, "unknown_channel",
                "no channel of that name is configured; channels come from --channel, --channels-file and "
                        + "the tvg-id groups of the playlists"));
        return new ChannelRequest(channel, parameters);
    }
}
