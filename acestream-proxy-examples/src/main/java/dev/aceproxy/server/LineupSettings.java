package dev.aceproxy.server;

import dev.aceproxy.jetty.playlist.PlaylistCatalog;
import dev.aceproxy.jetty.playlist.PlaylistSource;
import dev.aceproxy.registry.Channel;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the server offers by name: its playlist sources ({@code --playlist}), its channels
 * ({@code --channel}, {@code --channels-file}), how often url sources are read again
 * ({@code --playlist-refresh}) and the url players reach it by ({@code --public-url}).
 *
 * @param playlists the playlist sources, in the order given; names distinct
 * @param channels the channels, in the order given; names distinct
 * @param playlistRefresh the time between two reads of a playlist source
 * @param publicUrl the base url put into playlists, if set
 */
public record LineupSettings(List<PlaylistSource> playlists, List<Channel> channels, Duration playlistRefresh,
                             Optional<URI> publicUrl) {

    /** Nothing offered by name, default refresh. */
    public static final LineupSettings NONE = new LineupSettings(List.of(), List.of(),
            PlaylistCatalog.DEFAULT_REFRESH_INTERVAL, Optional.empty());

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the refresh is not positive
     */
    public LineupSettings {
        playlists = List.copyOf(playlists);
        channels = List.copyOf(channels);
        Objects.requireNonNull(playlistRefresh, "playlistRefresh");
        Objects.requireNonNull(publicUrl, "publicUrl");
        if (playlistRefresh.isNegative() || playlistRefresh.isZero()) {
            throw new IllegalArgumentException("playlistRefresh must be positive");
        }
    }

    /**
     * Builds the (unstarted) catalog these settings describe.
     *
     * @return the catalog
     */
    public PlaylistCatalog catalog() {
        PlaylistCatalog.Builder builder = PlaylistCatalog.newBuilder().channels(channels)
                .refreshInterval(playlistRefresh);
        playlists.forEach(builder::source);
        return builder.build();
    }

    /**
     * Describes the settings for the start-up log, without the sources' url details.
     *
     * @return the description, empty when nothing is configured
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (!playlists.isEmpty()) {
            out.append(" playlists=").append(playlists.stream().map(PlaylistSource::toString)
                    .collect(Collectors.joining(","))).append(" playlist-refresh=")
                    .append(GoDuration.format(playlistRefresh));
        }
        if (!channels.isEmpty()) {
            out.append(" channels=").append(channels.stream().map(Channel::name).collect(Collectors.joining(",")));
        }
        publicUrl.ifPresent(u -> out.append(" public-url=").append(u));
        return out.toString();
    }
}
