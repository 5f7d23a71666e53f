package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.jetty.m3u.M3uEntry;
import dev.aceproxy.jetty.m3u.M3uPlaylist;
import dev.aceproxy.jetty.playlist.ContentLinks;
import dev.aceproxy.jetty.playlist.PlaylistCopy;
import dev.aceproxy.registry.Channel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Points a playlist's AceStream entries at this proxy. Every entry whose url
 * {@link ContentLinks} recognises gets {@code BASE/ace/getstream?id=HEX} (or {@code infohash=}),
 * or {@code BASE/ace/manifest.m3u8?...} for HLS, with {@code &token=} when the server has a
 * player token; its other lines stay as they were. Entries that are not AceStream links stay as
 * they are. Grouped by {@code tvg-id}, the first entry of each group stands for the group and
 * points at {@code BASE/ace/getstream?channel=PLAYLIST:TVG-ID} (or the manifest's, for HLS); the
 * group's other entries go.
 *
 * @param base the proxy's base url, without a trailing slash
 * @param token the player token to carry, if any
 * @param hls whether to give HLS urls instead of MPEG-TS ones
 */
public record PlaylistRewrite(String base, Optional<String> token, boolean hls) {

    /** The only grouping offered. */
    public static final String GROUP_BY_TVG_ID = "tvg-id";

    /**
     * Rewrites entry by entry.
     *
     * @param copy the playlist
     * @return the rewritten playlist
     */
    public M3uPlaylist plain(PlaylistCopy copy) {
        List<M3uEntry> out = new ArrayList<>(copy.entries().size());
        for (M3uEntry entry : copy.entries()) {
            out.add(ContentLinks.contentOf(entry.url()).map(c -> entry.withUrl(contentUrl(c))).orElse(entry));
        }
        return copy.playlist().withEntries(out);
    }

    /**
     * Rewrites with one entry per {@code tvg-id} group (always MPEG-TS).
     *
     * @param copy the playlist
     * @return the rewritten playlist
     */
    public M3uPlaylist grouped(PlaylistCopy copy) {
        List<M3uEntry> out = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (M3uEntry entry : copy.entries()) {
            Optional<ContentId> content = ContentLinks.contentOf(entry.url());
            Optional<Channel> group = content.isPresent()
                    ? entry.tvgId().map(id -> copy.groups().get(id)) : Optional.empty();
            if (group.isEmpty()) {
                out.add(content.map(c -> entry.withUrl(contentUrl(c))).orElse(entry));
            } else if (done.add(group.get().name())) {
                out.add(entry.withUrl(base + (hls ? "/ace/manifest.m3u8?channel=" : "/ace/getstream?channel=")
                        + encode(group.get().name()) + tokenSuffix()));
            }
        }
        return copy.playlist().withEntries(out);
    }

    private String contentUrl(ContentId content) {
        return base + (hls ? "/ace/manifest.m3u8?" : "/ace/getstream?") + content.kind().parameter() + "="
                + content.hex() + tokenSuffix();
    }

    private String tokenSuffix() {
        return token.map(t -> "&token=" + encode(t)).orElse("");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
