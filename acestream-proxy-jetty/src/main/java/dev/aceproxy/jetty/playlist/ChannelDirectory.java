package dev.aceproxy.jetty.playlist;

import dev.aceproxy.registry.Channel;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Looks up channels by name for {@code /ace/getstream?channel=NAME}. Implementations are
 * thread-safe and answer at once (no I/O).
 */
@FunctionalInterface
public interface ChannelDirectory {

    /** A directory without channels. */
    ChannelDirectory NONE = name -> Optional.empty();

    /**
     * Finds a channel.
     *
     * @param name the name as the client sent it
     * @return the channel, or empty when no channel has that name
     */
    Optional<Channel> channel(String name);

    /**
     * A fixed directory.
     *
     * @param channels the channels; names must be distinct
     * @return the directory
     * @throws IllegalArgumentException if two channels share a name
     */
    static ChannelDirectory of(Collection<Channel> channels) {
        Map<String, Channel> byName = new LinkedHashMap<>();
        for (Channel channel : channels) {
            if (byName.putIfAbsent(channel.name(), channel) != null) {
                throw new IllegalArgumentException("channel " + channel.name() + " is defined twice");
            }
        }
        Map<String, Channel> copy = Map.copyOf(byName);
        return name -> Optional.ofNullable(copy.get(name));
    }
}
