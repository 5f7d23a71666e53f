package dev.aceproxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.jetty.playlist.PlaylistCatalog;
import dev.aceproxy.jetty.playlist.PlaylistSource;
import dev.aceproxy.registry.Channel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --playlist}, {@code --channel}, {@code --channels-file}, {@code --playlist-refresh}, {@code --public-url}. */
@Timeout(30)
class LineupSettingsTest {

    private static final String A = "0123456789abcdef0123456789abcdef01234567";
    private static final String B = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private static LineupSettings parse(Map<String, String> env, String... args) throws InvalidSettingException {
        return SettingsParser.parse(List.of(args), env).settings().lineup();
    }

    private Path playlistFile() throws Exception {
        Path file = dir.resolve("tv.m3u");
        Files.writeString(file, "#EXTM3U\n#EXTINF:-1 tvg-id=\"x\",X\nacestream://" + A + "\n");
        return file;
    }

    @Test
    void nothingByDefault() throws Exception {
        assertThat(parse(Map.of())).isEqualTo(LineupSettings.NONE);
    }

    @Test
    void flagsRepeatAndWinOverTheEnvironment() throws Exception {
        Path file = playlistFile();
        Path channels = dir.resolve("channels.txt");
        Files.writeString(channels, "\uFEFF# sports\n\nnews = " + B + "\r\nmovies=acestream://" + A + "\n");
        LineupSettings lineup = parse(Map.of("ACEPROXY_PLAYLISTS", "ignored=http://x/y.m3u",
                        "ACEPROXY_CHANNELS", "ignored=" + A),
                "--playlist", "tv=" + file, "--playlist=web=https://lists.example/a.m3u?key=1",
                "--channel", "sport=" + A + "," + B.toUpperCase(), "--channel=one=" + B,
                "--channels-file", channels.toString(), "--playlist-refresh", "1m",
                "--public-url", "https://tv.example.org/p");
        assertThat(lineup.playlists()).containsExactly(new PlaylistSource("tv", file.toAbsolutePath().toUri()),
                new PlaylistSource("web", URI.create("https://lists.example/a.m3u?key=1")));
        assertThat(lineup.channels()).containsExactly(
                new Channel("sport", List.of(ContentId.id(A), ContentId.id(B))),
                new Channel("one", List.of(ContentId.id(B))),
                new Channel("news", List.of(ContentId.id(B))),
                new Channel("movies", List.of(ContentId.id(A))));
        assertThat(lineup.playlistRefresh()).isEqualTo(Duration.ofMinutes(1));
        assertThat(lineup.publicUrl()).contains(URI.create("https://tv.example.org/p"));
        assertThat(lineup.toString()).doesNotContain("key=1");
    }

    @Test
    void theEnvironmentForms() throws Exception {
        Path file = playlistFile();
        Path channels = dir.resolve("channels.txt");
        Files.writeString(channels, "c=" + A + "\n");
        LineupSettings lineup = parse(Map.of("ACEPROXY_PLAYLISTS", "tv=" + file + "\n web=http://h/l.m3u",
                "ACEPROXY_CHANNELS", "a=" + A + "," + B + "  b=" + B, "ACEPROXY_CHANNELS_FILE", channels.toString(),
                "ACEPROXY_PLAYLIST_REFRESH", "30s", "ACEPROXY_PUBLIC_URL", "http://box:8080"));
        assertThat(lineup.playlists()).extracting(PlaylistSource::name).containsExactly("tv", "web");
        assertThat(lineup.channels()).extracting(Channel::name).containsExactly("a", "b", "c");
        assertThat(lineup.playlistRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(lineup.publicUrl()).contains(URI.create("http://box:8080"));
    }

    @Test
    void badInputNamesTheSettingAndTheProblem() throws Exception {
        Path file = playlistFile();
        assertProblem("--playlist", "no such file", "--playlist", "tv=" + dir.resolve("missing.m3u"));
        assertProblem("--playlist", "the name must be", "--playlist", "../x=" + file);
        assertProblem("--playlist", "NAME=PATH_OR_URL", "--playlist", file.toString());
        assertProblem("--playlist", "file or an http(s) url", "--playlist", "x=ftp://host/l.m3u");
        assertProblem("--playlist", "twice", "--playlist", "x=" + file, "--playlist", "x=" + file);
        assertProblem("--channel", "not a content id", "--channel", "sport=" + A + ",nothex");
        assertProblem("--channel", "not a content id", "--channel", "sport=");
        assertProblem("--channel", "twice", "--channel", "sport=" + A + "," + A);
        assertProblem("--channel", "channel name", "--channel", "a:b=" + A);
        assertProblem("--channel", "again", "--channel", "s=" + A, "--channel", "s=" + B);
        assertProblem("--playlist-refresh", "at least 10s", "--playlist-refresh", "1s");
        assertProblem("--public-url", "http:// or https://", "--public-url", "ftp://x");
        assertProblem("--public-url", "query", "--public-url", "http://x/?a=1");
        assertProblem("--channels-file", "no such file", "--channels-file", dir.resolve("none.txt").toString());
        Path channels = dir.resolve("bad.txt");
        Files.writeString(channels, "# ok\ngood=" + A + "\nbad line\n");
        assertProblem("line 3", "NAME=ID1,ID2", "--channels-file", channels.toString());
        assertThatThrownBy(() -> parse(Map.of("ACEPROXY_CHANNELS", "x=123")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("ACEPROXY_CHANNELS");
    }

    private void assertProblem(String setting, String problem, String... args) {
        assertThatThrownBy(() -> parse(Map.of(), args)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(setting).hasMessageContaining(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--channel=sport=nothex", "--channel=x", "--playlist=tv=/no/such/file.m3u"})
    void aMalformedListExitsNonZero(String arg) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AceProxyServer.run(List.of(arg, "--listen", "127.0.0.1:0"), Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertThat(code).isEqualTo(AceProxyServer.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid " + arg.substring(0, arg.indexOf('=')));
    }

    @Test
    void theServerServesItsPlaylistsAndStopsItsRefreshThread() throws Exception {
        Path file = playlistFile();
        long before = refreshThreads();
        ServerSettings settings = SettingsParser.parse(List.of("--demo", "--listen", "127.0.0.1:0",
                "--playlist", "tv=" + file, "--channel", "sport=" + A + "," + B), Map.of()).settings();
        try (HttpClient http = HttpClient.newHttpClient()) {
            ReferenceServer server = ReferenceServer.start(settings);
            try {
                assertThat(refreshThreads()).isEqualTo(before + 1);
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create(server.baseUri() + "/playlists/tv.m3u")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("#EXTM3U\n#EXTINF:-1 tvg-id=\"x\",X\n" + server.baseUri()
                        + "/ace/getstream?id=" + A + "\n");
                assertThat(server.catalog().channel("sport")).isPresent();
                assertThat(server.catalog().channel("tv:x")).isPresent();
            } finally {
                server.close();
            }
            assertThat(refreshThreads()).isEqualTo(before);
        }
    }

    @Test
    void aMissingPlaylistFileAtStartFailsTheStart() throws Exception {
        Path file = playlistFile();
        ServerSettings settings = SettingsParser.parse(List.of("--demo", "--listen", "127.0.0.1:0",
                "--playlist", "tv=" + file), Map.of()).settings();
        Files.delete(file);
        long before = refreshThreads();
        assertThatThrownBy(() -> ReferenceServer.start(settings)).hasMessageContaining("playlist tv")
                .hasMessageContaining("no such file");
        assertThat(refreshThreads()).isEqualTo(before);
    }

    private static long refreshThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(PlaylistCatalog.THREAD_NAME) && t.isAlive()).count();
    }
}
