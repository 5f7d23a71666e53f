package dev.aceproxy.server;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.jetty.playlist.PlaylistCatalog;
import dev.aceproxy.jetty.playlist.PlaylistSource;
import dev.aceproxy.registry.Channel;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the playlist and channel settings: {@code --playlist NAME=PATH_OR_URL} (repeatable) or
 * {@value #ENV_PLAYLISTS}, {@code --channel NAME=ID1,ID2} (repeatable) or {@value #ENV_CHANNELS},
 * {@code --channels-file PATH} or {@value #ENV_CHANNELS_FILE}, {@code --playlist-refresh} or
 * {@value #ENV_PLAYLIST_REFRESH}, {@code --public-url} or {@value #ENV_PUBLIC_URL}. The
 * environment lists hold several {@code NAME=VALUE} items separated by blanks or new lines. Flags
 * win over the environment; channels from the command line (or environment) and from the file
 * add up, and a name given twice is an error.
 */
final class LineupParser {

    /** Playlist sources, {@code NAME=PATH_OR_URL} items separated by blanks or new lines. */
    static final String ENV_PLAYLISTS = "ACEPROXY_PLAYLISTS";
    /** Channels, {@code NAME=ID1,ID2} items separated by blanks or new lines. */
    static final String ENV_CHANNELS = "ACEPROXY_CHANNELS";
    /** A channels file, one {@code NAME=ID1,ID2} a line. */
    static final String ENV_CHANNELS_FILE = "ACEPROXY_CHANNELS_FILE";
    /** The time between two reads of the playlist sources. */
    static final String ENV_PLAYLIST_REFRESH = "ACEPROXY_PLAYLIST_REFRESH";
    /** The url players reach the server by. */
    static final String ENV_PUBLIC_URL = "ACEPROXY_PUBLIC_URL";
    /** The shortest refresh accepted: a source is not a stream. */
    static final Duration MIN_REFRESH = Duration.ofSeconds(10);
    /** The largest channels file read. */
    static final long MAX_CHANNELS_FILE_BYTES = 1L << 20;

    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern HEX40 = Pattern.compile("[0-9A-Fa-f]{40}");

    private LineupParser() {
    }

    static LineupSettings parse(List<String> playlistFlags, List<String> channelFlags, Map<String, String> flags,
                                Map<String, String> env) throws InvalidSettingException {
        List<PlaylistSource> playlists = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        String playlistSetting = playlistFlags.isEmpty() ? ENV_PLAYLISTS : "--playlist";
        for (String item : playlistFlags.isEmpty() ? items(env.get(ENV_PLAYLISTS)) : playlistFlags) {
            PlaylistSource source = playlist(playlistSetting, item);
            if (!names.add(source.name())) {
                throw new InvalidSettingException(playlistSetting, item, "names playlist " + source.name() + " twice");
            }
            playlists.add(source);
        }
        Map<String, Channel> channels = new LinkedHashMap<>();
        String channelSetting = channelFlags.isEmpty() ? ENV_CHANNELS : "--channel";
        for (String item : channelFlags.isEmpty() ? items(env.get(ENV_CHANNELS)) : channelFlags) {
            add(channels, channelSetting, item, channel(channelSetting, item));
        }
        String fileSetting = flags.containsKey("--channels-file") ? "--channels-file" : ENV_CHANNELS_FILE;
        String file = flags.containsKey("--channels-file") ? flags.get("--channels-file") : blankToNull(env.get(ENV_CHANNELS_FILE));
        if (file != null) {
            channelsFile(fileSetting, file, channels);
        }
        String refreshSetting = flags.containsKey("--playlist-refresh") ? "--playlist-refresh" : ENV_PLAYLIST_REFRESH;
        String refreshText = flags.containsKey("--playlist-refresh") ? flags.get("--playlist-refresh")
                : blankToNull(env.get(ENV_PLAYLIST_REFRESH));
        Duration refresh = PlaylistCatalog.DEFAULT_REFRESH_INTERVAL;
        if (refreshText != null) {
            try {
                refresh = GoDuration.parse(refreshText);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(refreshSetting, refreshText, e.getMessage());
            }
            if (refresh.compareTo(MIN_REFRESH) < 0) {
                throw new InvalidSettingException(refreshSetting, refreshText,
                        "must be at least " + GoDuration.format(MIN_REFRESH));
            }
        }
        String urlSetting = flags.containsKey("--public-url") ? "--public-url" : ENV_PUBLIC_URL;
        String urlText = flags.containsKey("--public-url") ? flags.get("--public-url") : blankToNull(env.get(ENV_PUBLIC_URL));
        Optional<URI> publicUrl = urlText == null ? Optional.empty() : Optional.of(publicUrl(urlSetting, urlText));
        return new LineupSettings(playlists, List.copyOf(channels.values()), refresh, publicUrl);
    }

    private static PlaylistSource playlist(String setting, String item) throws InvalidSettingException {
        int eq = item.indexOf('=');
        if (eq <= 0 || eq == item.length() - 1) {
            throw new InvalidSettingException(setting, item, "must be NAME=PATH_OR_URL");
        }
        String name = item.substring(0, eq);
        String where = item.substring(eq + 1).strip();
        if (!PlaylistSource.NAME.matcher(name).matches()) {
            throw new InvalidSettingException(setting, item, "the name must be 1 to 64 letters, digits, _ or -");
        }
        String lower = where.toLowerCase(Locale.ROOT);
        URI location;
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                location = new URI(where);
            } catch (URISyntaxException e) {
                throw new InvalidSettingException(setting, name + "=<url>", "is not a url: " + e.getReason());
            }
            if (location.getHost() == null || location.getHost().isEmpty()) {
                throw new InvalidSettingException(setting, name + "=<url>", "the url has no host");
            }
        } else if (lower.contains("://")) {
            throw new InvalidSettingException(setting, item, "must be a file or an http(s) url");
        } else {
            Path path;
            try {
                path = Path.of(where).toAbsolutePath();
            } catch (InvalidPathException e) {
                throw new InvalidSettingException(setting, item, "is not a file name: " + e.getReason());
            }
            if (!Files.isRegularFile(path)) {
                throw new InvalidSettingException(setting, item, "no such file: " + path);
            }
            if (!Files.isReadable(path)) {
                throw new InvalidSettingException(setting, item, "cannot read the file " + path);
            }
            location = path.toUri();
        }
        try {
            return new PlaylistSource(name, location);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting, item, e.getMessage());
        }
    }

    private static Channel channel(String setting, String item) throws InvalidSettingException {
        int eq = item.indexOf('=');
        if (eq <= 0) {
            throw new InvalidSettingException(setting, item, "must be NAME=ID1,ID2,... (40-hex content ids)");
        }
        String name = item.substring(0, eq).strip();
        if (!CHANNEL_NAME.matcher(name).matches()) {
            throw new InvalidSettingException(setting, item, "the channel name must be 1 to 64 letters, digits, _ . or -");
        }
        List<ContentId> ids = new ArrayList<>();
        for (String part : item.substring(eq + 1).split(",", -1)) {
            String id = part.strip();
            if (id.regionMatches(true, 0, "acestream://", 0, 12)) {
                id = id.substring(12);
            }
            if (!HEX40.matcher(id).matches()) {
                throw new InvalidSettingException(setting, item, "'" + part.strip()
                        + "' is not a content id (40 hexadecimal characters)");
            }
            ContentId content = ContentId.id(id);
            if (ids.contains(content)) {
                throw new InvalidSettingException(setting, item, "lists content " + content.hex() + " twice");
            }
            ids.add(content);
        }
        return new Channel(name, ids);
    }

    private static void channelsFile(String setting, String file, Map<String, Channel> channels)
            throws InvalidSettingException {
        List<String> lines;
        try {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw new InvalidSettingException(setting, file, "no such file");
            }
            if (Files.size(path) > MAX_CHANNELS_FILE_BYTES) {
                throw new InvalidSettingException(setting, file, "is larger than 1 MiB");
            }
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (InvalidPathException e) {
            throw new InvalidSettingException(setting, file, "is not a file name: " + e.getReason());
        } catch (MalformedInputException e) {
            throw new InvalidSettingException(setting, file, "is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidSettingException(setting, file, "cannot be read: " + e.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = setting + " " + file + " line " + (i + 1);
            add(channels, where, line, channel(where, line));
        }
    }

    private static void add(Map<String, Channel> channels, String setting, String item, Channel channel)
            throws InvalidSettingException {
        if (channels.putIfAbsent(channel.name(), channel) != null) {
            throw new InvalidSettingException(setting, item, "defines channel " + channel.name() + " again");
        }
    }

    private static URI publicUrl(String setting, String text) throws InvalidSettingException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(setting, text, "is not a url (expected http(s)://HOST[:PORT][/PATH])");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidSettingException(setting, text, "must be an http:// or https:// url");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidSettingException(setting, text, "has no host");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new InvalidSettingException(setting, text, "must not carry a query, fragment or credentials");
        }
        return uri;
    }

    private static List<String> items(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.strip().split("\\s+"));
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
