package dev.aceproxy.hls.internal;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.registry.Channel;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.registry.Subscription;
import dev.aceproxy.registry.internal.SessionTable;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an HLS session plays: one content, or a channel that fails over across its alternates.
 *
 * @param key the session's key in the service, as the registry keys its sessions
 *     ({@link SessionTable#contentKey}, {@link SessionTable#channelKey})
 * @param content the content, or a channel's first alternate
 * @param channel the channel, if the session plays one
 */
public record HlsSource(String key, ContentId content, Optional<Channel> channel) {

    /**
     * Validates.
     *
     * @throws NullPointerException if a component is null
     */
    public HlsSource {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(channel, "channel");
    }

    /**
     * A content's source.
     *
     * @param content the content
     * @return the source
     */
    public static HlsSource of(ContentId content) {
        return new HlsSource(SessionTable.contentKey(content), content, Optional.empty());
    }

    /**
     * A channel's source.
     *
     * @param channel the channel
     * @return the source
     */
    public static HlsSource of(Channel channel) {
        return new HlsSource(SessionTable.channelKey(channel.name()), channel.alternates().get(0),
                Optional.of(channel));
    }

    /**
     * Subscribes a sink to the registry for this source.
     *
     * @param registry the registry
     * @param parameters extra engine parameters
     * @param sink the sink
     * @param client who it stands for
     * @return the subscription
     * @throws IOException as {@link StreamRegistry#subscribe}
     * @throws InterruptedException if interrupted while waiting for the start
     */
    Subscription subscribe(StreamRegistry registry, Map<String, String> parameters, ClientSink sink, ClientInfo client)
            throws IOException, InterruptedException {
        return channel.isPresent() ? registry.subscribe(channel.get(), parameters, sink, client)
                : registry.subscribe(content, parameters, sink, client);
    }
}
