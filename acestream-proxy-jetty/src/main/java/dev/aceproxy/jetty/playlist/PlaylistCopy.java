package dev.aceproxy.jetty.playlist;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.jetty.m3u.M3uEntry;
import dev.aceproxy.jetty.m3u.M3uPlaylist;
import dev.aceproxy.registry.Channel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One good copy of a playlist source, as last loaded: the parsed playlist and the channels its
 * entries make when grouped by {@code tvg-id}. Immutable.
 *
 * @param name the playlist's name
 * @param playlist the parsed playlist
 * @param loadedAt when it was read
 * @param groups the channels by {@code tvg-id}, in playlist order: each has the AceStream
 *     contents of the entries sharing the id, in playlist order, without repeats, and is named
 *     {@link #channelName(String, String)}
 */
public record PlaylistCopy(String name, M3uPlaylist playlist, Instant loadedAt, Map<String, Channel> groups) {

    /** Separates the playlist's name from the {@code tvg-id} in a grouped channel's name. */
    public static final char GROUP_SEPARATOR = ':';

    /**
     * Copies the groups, keeping their order.
     *
     * @throws NullPointerException if an argument is null
     */
    public PlaylistCopy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(playlist, "playlist");
        Objects.requireNonNull(loadedAt, "loadedAt");
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /**
     * Makes a copy from a parsed playlist, grouping its AceStream entries by {@code tvg-id}.
     *
     * @param name the playlist's name
     * @param playlist the parsed playlist
     * @param loadedAt when it was read
     * @return the copy
     */
    public static PlaylistCopy of(String name, M3uPlaylist playlist, Instant loadedAt) {
        Map<String, Set<ContentId>> byId = new LinkedHashMap<>();
        for (M3uEntry entry : playlist.entries()) {
            Optional<String> tvgId = entry.tvgId();
            Optional<ContentId> content = ContentLinks.contentOf(entry.url());
            if (tvgId.isPresent() && content.isPresent()) {
                byId.computeIfAbsent(tvgId.get(), k -> new LinkedHashSet<>()).add(content.get());
            }
        }
        Map<String, Channel> groups = new LinkedHashMap<>();
        byId.forEach((tvgId, contents) ->
                groups.put(tvgId, new Channel(channelName(name, tvgId), new ArrayList<>(contents))));
        return new PlaylistCopy(name, playlist, loadedAt, groups);
    }

    /**
     * Names the channel of a {@code tvg-id} group. Configured channel names cannot hold the
     * separator, so a group never shadows one.
     *
     * @param playlist the playlist's name
     * @param tvgId the group's {@code tvg-id}
     * @return {@code playlist:tvgId}
     */
    public static String channelName(String playlist, String tvgId) {
        return playlist + GROUP_SEPARATOR + tvgId;
    }

    /**
     * Returns the entries as listed.
     *
     * @return the entries
     */
    public List<M3uEntry> entries() {
        return playlist.entries();
    }
}
