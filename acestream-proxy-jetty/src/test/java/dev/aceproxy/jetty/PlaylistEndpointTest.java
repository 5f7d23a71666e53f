package dev.aceproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.jetty.playlist.PlaylistCatalog;
import dev.aceproxy.jetty.playlist.PlaylistLoadException;
import dev.aceproxy.jetty.playlist.PlaylistSource;
import dev.aceproxy.testkit.Eventually;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /playlists}: rewriting, tokens, host rules, refresh and the errors a client sees. */
@Timeout(60)
class PlaylistEndpointTest {

    static final String A = "0123456789abcdef0123456789abcdef01234567";
    static final String B = "89abcdef0123456789abcdef0123456789abcdef";
    static final String C = "fedcba9876543210fedcba9876543210fedcba98";
    static final String D = "00112233445566778899aabbccddeeff00112233";
    static final String E = "ffeeddccbbaa99887766554433221100ffeeddcc";
    static final String TOKEN = "playlist-token-0123456789";

    /** A source with every link form, a foreign entry, and lines that must stay in place. */
    static final String SOURCE = "\uFEFF#EXTM3U url-tvg=\"http://epg.example/guide.xml\" x-tvg-url=\"http://epg.example/x.xml\"\r\n"
            + "#EXTINF:-1 tvg-id=\"one.uk\" tvg-name=\"One, HD\" tvg-logo=\"http://l/1.png\" group-title=\"News\",One\r\n"
            + "#EXTVLCOPT:network-caching=1000\r\n"
            + "acestream://" + A + "\r\n"
            + "#EXTINF:-1 tvg-id=\"one.uk\",One (backup)\r\n"
            + "#EXTGRP:News\r\n"
            + "http://192.168.1.5:6878/ace/getstream?id=" + B + "&pid=3\r\n"
            + "#EXTINF:-1 tvg-id=\"two.uk\",Two\r\n"
            + "http://engine:6878/ace/manifest.m3u8?infohash=" + C + "\r\n"
            + "#EXTINF:-1,Three\r\n"
            + "http://127.0.0.1:6878/pid/" + D + "/stream.mp4\r\n"
            + "#EXTINF:-1 tvg-id=\"four\",Четыре\r\n"
            + E + "\r\n"
            + "#EXTINF:-1,Elsewhere\r\n"
            + "http://example.org/live.ts\r\n";

    static String expected(String base, String suffix, boolean hls) {
        String ts = hls ? "/ace/manifest.m3u8?" : "/ace/getstream?";
        return "#EXTM3U url-tvg=\"http://epg.example/guide.xml\" x-tvg-url=\"http://epg.example/x.xml\"\n"
                + "#EXTINF:-1 tvg-id=\"one.uk\" tvg-name=\"One, HD\" tvg-logo=\"http://l/1.png\" group-title=\"News\",One\n"
                + "#EXTVLCOPT:network-caching=1000\n"
                + base + ts + "id=" + A + suffix + "\n"
                + "#EXTINF:-1 tvg-id=\"one.uk\",One (backup)\n"
                + "#EXTGRP:News\n"
                + base + ts + "id=" + B + suffix + "\n"
                + "#EXTINF:-1 tvg-id=\"two.uk\",Two\n"
                + base + ts + "infohash=" + C + suffix + "\n"
                + "#EXTINF:-1,Three\n"
                + base + ts + "id=" + D + suffix + "\n"
                + "#EXTINF:-1 tvg-id=\"four\",Четыре\n"
                + base + ts + "id=" + E + suffix + "\n"
                + "#EXTINF:-1,Elsewhere\n"
                + "http://example.org/live.ts\n";
    }

    @TempDir
    Path dir;

    private PlaylistCatalog fileCatalog() throws Exception {
        Path file = dir.resolve("tv.m3u");
        Files.writeString(file, SOURCE, StandardCharsets.UTF_8);
        return PlaylistCatalog.newBuilder().source(new PlaylistSource("tv", file.toUri())).build();
    }

    @Test
    void rewritesEveryAceStreamLinkAndKeepsEverythingElse() throws Exception {
        try (PlaylistFixture f = PlaylistFixture.start(fileCatalog(), EndpointOptions.DEFAULT, Optional.empty())) {
            HttpResponse<String> answer = f.get("/playlists/tv.m3u");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("audio/x-mpegurl"));
            assertThat(answer.body()).isEqualTo(expected(f.server.baseUri().toString(), "", false));

            HttpResponse<String> hls = f.get("/playlists/tv.m3u?format=hls");
            assertThat(hls.body()).isEqualTo(expected(f.server.baseUri().toString(), "", true));
            assertThat(f.engine.getstreamCalls()).as("a playlist starts nothing").isZero();
        }
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutABody() throws Exception {
        try (PlaylistFixture f = PlaylistFixture.start(fileCatalog(), EndpointOptions.DEFAULT, Optional.empty())) {
            HttpResponse<String> get = f.get("/playlists/tv.m3u");
            HttpResponse<String> head = f.head("/playlists/tv.m3u");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.headers().firstValueAsLong("Content-Length").orElseThrow())
                    .isEqualTo(get.body().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void carriesTheAccessTokenInEveryUrl() throws Exception {
        EndpointOptions options = EndpointOptions.DEFAULT.withAccessToken(TOKEN);
        try (PlaylistFixture f = PlaylistFixture.start(fileCatalog(), options, Optional.empty())) {
            assertThat(f.get("/playlists/tv.m3u").statusCode()).as("no token").isEqualTo(401);
            HttpResponse<String> answer = f.get("/playlists/tv.m3u?token=" + TOKEN);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(expected(f.server.baseUri().toString(), "&token=" + TOKEN, false));
        }
    }

    @Test
    void refusesToBuildUrlsFromAHostTheServerDoesNotListenAs() throws Exception {
        // With a token the access filter does not look at Host: the endpoint itself must refuse.
        EndpointOptions options = EndpointOptions.DEFAULT.withAccessToken(TOKEN);
        try (PlaylistFixture f = PlaylistFixture.start(fileCatalog(), options, Optional.empty())) {
            RawHttp.Answer forged = RawHttp.exchange(f.server.port(), ("GET /playlists/tv.m3u?token=" + TOKEN
                    + " HTTP/1.1\r\nHost: evil.example:8080\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(forged.status()).isEqualTo(403);
            assertThat(forged.body()).contains("\"host_not_allowed\"").doesNotContain("evil");

            RawHttp.Answer localhost = RawHttp.exchange(f.server.port(), ("GET /playlists/tv.m3u?token=" + TOKEN
                    + " HTTP/1.1\r\nHost: localhost:" + f.server.port() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(localhost.status()).isEqualTo(200);
            assertThat(localhost.body()).contains("http://localhost:" + f.server.port() + "/ace/getstream?id=" + A)
                    .doesNotContain("evil");
        }
        try (PlaylistFixture f = PlaylistFixture.start(fileCatalog(), EndpointOptions.DEFAULT, Optional.empty())) {
            RawHttp.Answer forged = RawHttp.exchange(f.server.port(), ("GET /playlists/tv.m3u HTTP/1.1\r\n"
                    + "Host: evil.example\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            assertThat(forged.status()).as("without a token the host guard refuses first").isEqualTo(403);
        }
    }

    @Test
    void usesThePublicUrlWhateverTheHost() throws Exception {
        EndpointOptions options = EndpointOptions.DEFAULT.withAccessToken(TOKEN);
        URI publicUrl = URI.create("https://tv.example.org/proxy/");
        try (PlaylistFixture f = PlaylistFixture.start(fileCatalog(), options, Optional.of(publicUrl))) {
            RawHttp.Answer answer = RawHttp.exchange(f.server.port(), ("GET /playlists/tv.m3u?token=" + TOKEN
                    + " HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).endsWith(expected("https://tv.example.org/proxy", "&token=" + TOKEN, false)
                    .substring(0));
        }
    }

    @Test
    void groupsEntriesByTvgIdIntoChannels() throws Exception {
        try (PlaylistFixture f = PlaylistFixture.start(fileCatalog(), EndpointOptions.DEFAULT, Optional.empty())) {
            String base = f.server.baseUri().toString();
            HttpResponse<String> answer = f.get("/playlists/tv.m3u?group=tvg-id");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(
                    "#EXTM3U url-tvg=\"http://epg.example/guide.xml\" x-tvg-url=\"http://epg.example/x.xml\"\n"
                    + "#EXTINF:-1 tvg-id=\"one.uk\" tvg-name=\"One, HD\" tvg-logo=\"http://l/1.png\" group-title=\"News\",One\n"
                    + "#EXTVLCOPT:network-caching=1000\n"
                    + base + "/ace/getstream?channel=tv%3Aone.uk\n"
                    + "#EXTINF:-1 tvg-id=\"two.uk\",Two\n"
                    + base + "/ace/getstream?channel=tv%3Atwo.uk\n"
                    + "#EXTINF:-1,Three\n"
                    + base + "/ace/getstream?id=" + D + "\n"
                    + "#EXTINF:-1 tvg-id=\"four\",Четыре\n"
                    + base + "/ace/getstream?channel=tv%3Afour\n"
                    + "#EXTINF:-1,Elsewhere\n"
                    + "http://example.org/live.ts\n");
            assertThat(f.catalog.channel("tv:one.uk").orElseThrow().alternates())
                    .extracting(c -> c.hex()).containsExactly(A, B);
            HttpResponse<String> groupedHls = f.get("/playlists/tv.m3u?group=tvg-id&format=hls");
            assertThat(groupedHls.statusCode()).isEqualTo(200);
            assertThat(groupedHls.body()).contains(base + "/ace/manifest.m3u8?channel=tv%3Aone.uk\n")
                    .doesNotContain("/ace/getstream?channel=");
            assertThat(f.get("/playlists/tv.m3u?group=name").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void listsThePlaylistsAndAnswersJsonErrors() throws Exception {
        try (PlaylistFixture f = PlaylistFixture.start(fileCatalog(), EndpointOptions.DEFAULT, Optional.empty())) {
            HttpResponse<String> list = f.get("/playlists");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"name\":\"tv\"", "\"path\":\"/playlists/tv.m3u\"", "\"loaded\":true",
                    "\"entries\":6", "\"groups\":3").doesNotContain(dir.toString());

            HttpResponse<String> unknown = f.get("/playlists/nope.m3u");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"unknown_playlist\"");
            assertThat(f.get("/playlists/tv").statusCode()).isEqualTo(404);
            assertThat(f.get("/playlists/tv.m3u?format=dash").statusCode()).isEqualTo(400);
            assertThat(f.get("/playlists/tv.m3u?url=http://x").body()).contains("\"unknown_parameter\"");
            HttpResponse<String> post = f.http.send(java.net.http.HttpRequest.newBuilder(f.uri("/playlists/tv.m3u"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aRefreshThatFailsKeepsTheLastGoodCopy() throws Exception {
        try (PlaylistSourceServer source = PlaylistSourceServer.start("#EXTM3U\n#EXTINF:-1,First\n" + A + "\n")) {
            PlaylistCatalog catalog = PlaylistCatalog.newBuilder().source(new PlaylistSource("web", source.uri())).build();
            try (PlaylistFixture f = PlaylistFixture.start(catalog, EndpointOptions.DEFAULT, Optional.empty())) {
                String base = f.server.baseUri().toString();
                String first = "#EXTM3U\n#EXTINF:-1,First\n" + base + "/ace/getstream?id=" + A + "\n";
                assertThat(f.get("/playlists/web.m3u").body()).isEqualTo(first);

                source.fail(500);
                catalog.refreshAll();
                assertThat(source.requests()).isEqualTo(2);
                HttpResponse<String> kept = f.get("/playlists/web.m3u");
                assertThat(kept.statusCode()).isEqualTo(200);
                assertThat(kept.body()).isEqualTo(first);
                assertThat(f.get("/playlists").body()).contains("\"problem\":\"playlist web: the url answered 500\"")
                        .doesNotContain(source.uri().toString());

                source.answer("#EXTM3U\n#EXTINF:-1,Second\n" + B + "\n");
                catalog.refreshAll();
                assertThat(f.get("/playlists/web.m3u").body())
                        .isEqualTo("#EXTM3U\n#EXTINF:-1,Second\n" + base + "/ace/getstream?id=" + B + "\n");
                assertThat(f.get("/playlists").body()).doesNotContain("problem");
            }
        }
    }

    @Test
    void theTimerRefreshesUrlSources() throws Exception {
        long before = refreshThreads();
        try (PlaylistSourceServer source = PlaylistSourceServer.start("#EXTM3U\n" + A + "\n")) {
            PlaylistCatalog catalog = PlaylistCatalog.newBuilder().source(new PlaylistSource("web", source.uri()))
                    .refreshInterval(java.time.Duration.ofMillis(100)).build();
            try (PlaylistFixture f = PlaylistFixture.start(catalog, EndpointOptions.DEFAULT, Optional.empty())) {
                source.answer("#EXTM3U\n" + B + "\n");
                int seen = catalog.refreshCount();
                Eventually.within(java.time.Duration.ofSeconds(20), "two refreshes run by the timer",
                        () -> catalog.refreshCount() >= seen + 2);
                assertThat(f.get("/playlists/web.m3u").body()).contains("/ace/getstream?id=" + B);
            }
            assertThat(refreshThreads()).isEqualTo(before);
        }
    }

    @Test
    void anUrlThatNeverLoadedAnswers502UntilItDoes() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(PlaylistCatalog.class.getName());
        java.util.List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        try (PlaylistSourceServer source = PlaylistSourceServer.start("")) {
            source.fail(503);
            PlaylistCatalog catalog = PlaylistCatalog.newBuilder().source(new PlaylistSource("web", source.uri())).build();
            try (PlaylistFixture f = PlaylistFixture.start(catalog, EndpointOptions.DEFAULT, Optional.empty())) {
                assertThat(records).as("the operator is told at start-up").anySatisfy(r -> {
                    assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
                    assertThat(r.getMessage()).contains("playlist web=http://127.0.0.1:", "did not load",
                            "the url answered 503", "answers 502 until a refresh");
                });
                HttpResponse<String> answer = f.get("/playlists/web.m3u");
                assertThat(answer.statusCode()).isEqualTo(502);
                assertThat(answer.body()).contains("\"playlist_unavailable\"").doesNotContain(source.uri().toString());
                assertThat(f.get("/playlists").body()).contains("\"loaded\":false");

                source.answer("#EXTM3U\n" + A + "\n");
                catalog.refreshAll();
                assertThat(f.get("/playlists/web.m3u").statusCode()).isEqualTo(200);
            }
        } finally {
            log.removeHandler(handler);
        }
    }

    @Test
    void aSourceAboveTheSizeBoundDoesNotLoad() throws Exception {
        try (PlaylistSourceServer source = PlaylistSourceServer.start("#EXTM3U\n" + (A + "\n").repeat(100))) {
            try (PlaylistCatalog catalog = PlaylistCatalog.newBuilder().source(new PlaylistSource("web", source.uri()))
                    .maxBytes(1000).build()) {
                catalog.start();
                assertThat(catalog.playlist("web")).isEmpty();
                assertThat(catalog.problem("web")).hasValue("playlist web is larger than 1000 bytes");
            }
        }
    }

    @Test
    void aMissingFileFailsTheStartNamingThePlaylist() {
        PlaylistCatalog catalog = PlaylistCatalog.newBuilder()
                .source(new PlaylistSource("gone", dir.resolve("missing.m3u").toUri())).build();
        assertThatThrownBy(catalog::start).isInstanceOf(PlaylistLoadException.class)
                .hasMessageContaining("playlist gone").hasMessageContaining("no such file");
        catalog.close();
        assertThat(refreshThreads()).isZero();
    }

    @Test
    void theRefreshThreadIsStoppedWithTheCatalog() throws Exception {
        long before = refreshThreads();
        PlaylistCatalog catalog = fileCatalog();
        catalog.start();
        assertThat(refreshThreads()).isEqualTo(before + 1);
        catalog.close();
        assertThat(refreshThreads()).isEqualTo(before);
        catalog.close();
    }

    @Test
    void nothingAClientSendsNamesASource() {
        assertThatThrownBy(() -> new PlaylistSource("x", URI.create("ftp://host/list.m3u")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlaylistSource("../x", URI.create("http://host/list.m3u")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static long refreshThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(PlaylistCatalog.THREAD_NAME) && t.isAlive()).count();
    }
}
