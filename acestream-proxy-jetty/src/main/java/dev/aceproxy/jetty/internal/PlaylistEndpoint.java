package dev.aceproxy.jetty.internal;

import dev.aceproxy.jetty.m3u.M3uPlaylist;
import dev.aceproxy.jetty.playlist.PlaylistCatalog;
import dev.aceproxy.jetty.playlist.PlaylistCopy;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET}/{@code HEAD /playlists} (the configured names as JSON) and
 * {@code /playlists/NAME.m3u} (the playlist pointed at this proxy, see {@link PlaylistRewrite}).
 * Query: {@code format=ts|hls}, {@code group=tvg-id}. The urls' base is the public url when one is
 * set; otherwise the request's {@code Host}, which must be a name the server listens as (checked
 * as {@link HostGuard} does), so that a forged {@code Host} never ends up in the urls.
 * Unknown playlist: 404; a playlist that never loaded: 502.
 */
public final class PlaylistEndpoint extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * The playlist's content type: a plain (not HLS) M3U, as IPTV clients expect it. The HLS
     * type would make players such as ffmpeg read it as a media playlist, which it is not.
     */
    public static final String CONTENT_TYPE = "audio/x-mpegurl;charset=utf-8";
    /** The file extension the path carries. */
    public static final String EXTENSION = ".m3u";

    private final transient PlaylistCatalog catalog;
    private final transient Optional<String> publicBase;
    private final transient HostGuard hosts;
    private final transient Optional<String> token;

    /**
     * Creates the endpoint.
     *
     * @param catalog the playlists
     * @param publicUrl the url players reach the server by, if set
     * @param hosts the names the server listens as
     * @param token the player token urls carry, if any
     */
    public PlaylistEndpoint(PlaylistCatalog catalog, Optional<URI> publicUrl, HostGuard hosts,
                            Optional<String> token) {
        this.catalog = catalog;
        this.publicBase = publicUrl.map(u -> stripSlash(u.toString()));
        this.hosts = hosts;
        this.token = token;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String method = request.getMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw HttpProblem.methodNotAllowed(method, "GET, HEAD");
            }
            QueryParameters query = QueryParameters.parse(request.getQueryString());
            String path = request.getPathInfo();
            if (path == null || path.equals("/")) {
                query.requireOnly(Set.of("token"));
                query.opaque("token");
                list(response);
                return;
            }
            query.requireOnly(Set.of("token", "format", "group"));
            query.opaque("token");
            playlist(request, response, path.substring(1), query);
        } catch (HttpProblem problem) {
            JsonResponses.sendError(response, problem);
        }
    }

    private void playlist(HttpServletRequest request, HttpServletResponse response, String file,
                          QueryParameters query) throws IOException, HttpProblem {
        String name = file.endsWith(EXTENSION) ? file.substring(0, file.length() - EXTENSION.length()) : null;
        if (name == null || !catalog.has(name)) {
            throw HttpProblem.of(404, "unknown_playlist", "no playlist is configured under that name; "
                    + "GET /playlists lists them");
        }
        String format = query.single("format").orElse("ts");
        if (!format.equals("ts") && !format.equals("hls")) {
            throw HttpProblem.badRequest("invalid_parameter", "parameter format must be ts or hls");
        }
        Optional<String> group = query.single("group");
        if (group.isPresent() && !group.get().equals(PlaylistRewrite.GROUP_BY_TVG_ID)) {
            throw HttpProblem.badRequest("invalid_parameter", "parameter group must be tvg-id");
        }
        String base = base(request);
        PlaylistCopy copy = catalog.playlist(name).orElseThrow(() -> HttpProblem.of(502, "playlist_unavailable",
                "the playlist's source has not loaded yet: " + catalog.problem(name).orElse("not read yet")));
        PlaylistRewrite rewrite = new PlaylistRewrite(base, token, format.equals("hls"));
        M3uPlaylist out = group.isPresent() ? rewrite.grouped(copy) : rewrite.plain(copy);
        byte[] body = out.text().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        if (!request.getMethod().equals("HEAD")) {
            response.getOutputStream().write(body);
        }
    }

    private void list(HttpServletResponse response) throws IOException {
        JsonWriter json = new JsonWriter().beginObject().name("playlists").beginArray();
        for (String name : catalog.names()) {
            Optional<PlaylistCopy> copy = catalog.playlist(name);
            json.beginObject()
                    .name("name").value(name)
                    .name("path").value("/playlists/" + name + EXTENSION)
                    .name("loaded").value(copy.isPresent());
            if (copy.isPresent()) {
                json.name("entries").value(copy.get().entries().size())
                        .name("groups").value(copy.get().groups().size())
                        .name("loaded_at").value(copy.get().loadedAt().toString());
            }
            catalog.problem(name).ifPresent(p -> json.name("problem").value(p));
            json.endObject();
        }
        JsonResponses.send(response, 200, json.endArray().endObject());
    }

    private String base(HttpServletRequest request) throws HttpProblem {
        if (publicBase.isPresent()) {
            return publicBase.get();
        }
        String host = request.getHeader("Host");
        String name = host == null ? null : HostGuard.hostOf(host);
        if (name == null || !host.chars().allMatch(PlaylistEndpoint::hostChar) || !hosts.allowed(name)) {
            throw HttpProblem.of(403, "host_not_allowed", "the playlist's urls are built from the Host the "
                    + "request names, and this server does not listen as that host; set --public-url, or add "
                    + "the name with --allowed-hosts");
        }
        return request.getScheme() + "://" + host.strip() + stripSlash(request.getContextPath());
    }

    private static boolean hostChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
