package dev.aceproxy.jetty.m3u;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lenient parser against the quirks real IPTV playlists have. */
class M3uParserTest {

    private static final String ID_A = "0123456789abcdef0123456789abcdef01234567";
    private static final String ID_B = "89abcdef0123456789abcdef0123456789abcdef";

    /** One quirk: the playlist's text, then the urls, titles and one attribute the parser must find. */
    static Stream<Arguments> quirks() {
        return Stream.of(
                Arguments.of("byte-order mark", "\uFEFF#EXTM3U\n#EXTINF:-1,One\nacestream://" + ID_A + "\n",
                        List.of("acestream://" + ID_A), List.of("One"), Map.of(), true),
                Arguments.of("CRLF endings", "#EXTM3U\r\n#EXTINF:-1 tvg-id=\"a\",One\r\nacestream://" + ID_A
                                + "\r\n\r\n#EXTINF:-1,Two\r\n" + ID_B + "\r\n",
                        List.of("acestream://" + ID_A, ID_B), List.of("One", "Two"), Map.of("tvg-id", "a"), true),
                Arguments.of("CR endings", "#EXTM3U\r#EXTINF:-1,One\racestream://" + ID_A + "\r",
                        List.of("acestream://" + ID_A), List.of("One"), Map.of(), true),
                Arguments.of("missing #EXTM3U", "#EXTINF:-1,One\nacestream://" + ID_A + "\n",
                        List.of("acestream://" + ID_A), List.of("One"), Map.of(), false),
                Arguments.of("no directives at all", ID_A + "\n" + ID_B + "\n",
                        List.of(ID_A, ID_B), List.of(), Map.of(), false),
                Arguments.of("comma inside a quoted value",
                        "#EXTM3U\n#EXTINF:-1 tvg-name=\"News, HD\" group-title=\"A,B\",News HD\nacestream://" + ID_A,
                        List.of("acestream://" + ID_A), List.of("News HD"),
                        Map.of("tvg-name", "News, HD", "group-title", "A,B"), true),
                Arguments.of("quotes inside a quoted value",
                        "#EXTINF:-1 tvg-name=\"The \"Big\" Match\" tvg-id=\"m\",Match\n" + ID_A,
                        List.of(ID_A), List.of("Match"), Map.of("tvg-name", "The \"Big\" Match", "tvg-id", "m"), false),
                Arguments.of("= inside a quoted value",
                        "#EXTINF:-1 tvg-logo=\"http://x/logo.png?a=1&b=2\",Logo\n" + ID_A,
                        List.of(ID_A), List.of("Logo"), Map.of("tvg-logo", "http://x/logo.png?a=1&b=2"), false),
                Arguments.of("unquoted attributes",
                        "#EXTINF:-1 tvg-id=sport.uk group-title=Sport,Sport One\n" + ID_A,
                        List.of(ID_A), List.of("Sport One"), Map.of("tvg-id", "sport.uk", "group-title", "Sport"), false),
                Arguments.of("single quotes", "#EXTINF:-1 tvg-id='x y',Title\n" + ID_A,
                        List.of(ID_A), List.of("Title"), Map.of("tvg-id", "x y"), false),
                Arguments.of("comma in the title", "#EXTINF:-1 tvg-id=\"t\",Football: A, B and C\n" + ID_A,
                        List.of(ID_A), List.of("Football: A, B and C"), Map.of("tvg-id", "t"), false),
                Arguments.of("duplicate entries", "#EXTM3U\n#EXTINF:-1,Same\n" + ID_A + "\n#EXTINF:-1,Same\n" + ID_A,
                        List.of(ID_A, ID_A), List.of("Same", "Same"), Map.of(), true),
                Arguments.of("empty name", "#EXTM3U\n#EXTINF:-1 tvg-id=\"e\",\n" + ID_A,
                        List.of(ID_A), List.of(""), Map.of("tvg-id", "e"), true),
                Arguments.of("no comma at all", "#EXTINF:-1 tvg-id=\"n\"\n" + ID_A,
                        List.of(ID_A), List.of(""), Map.of("tvg-id", "n"), false),
                Arguments.of("non-ASCII names", "#EXTM3U\n#EXTINF:-1 tvg-name=\"Спорт 1\",Спорт 1 — Ελλάδα 体育\n" + ID_A,
                        List.of(ID_A), List.of("Спорт 1 — Ελλάδα 体育"), Map.of("tvg-name", "Спорт 1"), true),
                Arguments.of("blank lines and indentation", "\n\n  #EXTM3U  \n\n   #EXTINF:-1,One  \n  " + ID_A + "  \n\n",
                        List.of(ID_A), List.of("One"), Map.of(), true),
                Arguments.of("lowercase directives", "#extm3u\n#extinf:-1 tvg-id=\"l\",Low\n" + ID_A,
                        List.of(ID_A), List.of("Low"), Map.of("tvg-id", "l"), true),
                Arguments.of("unclosed quote", "#EXTINF:-1 tvg-id=\"open,Title\n" + ID_A,
                        List.of(ID_A), List.of("Title"), Map.of("tvg-id", "open"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quirks")
    void readsTheQuirk(String quirk, String text, List<String> urls, List<String> titles, Map<String, String> attributes,
                       boolean header) {
        M3uPlaylist playlist = M3uParser.parse(text);
        assertThat(playlist.entries()).extracting(M3uEntry::url).as(quirk).containsExactlyElementsOf(urls);
        if (!titles.isEmpty()) {
            assertThat(playlist.entries()).extracting(e -> e.extinf().map(Extinf::title).orElse(null))
                    .containsExactlyElementsOf(titles);
        }
        Extinf first = playlist.entries().get(0).extinf().orElse(new Extinf("", Map.of(), ""));
        attributes.forEach((name, value) -> assertThat(first.attribute(name)).as(name).contains(value));
        assertThat(playlist.header().isPresent()).as("header").isEqualTo(header);
    }

    @Test
    void keepsEveryDirectiveInPlaceAndTheHeaderAsWritten() {
        String text = "#EXTM3U url-tvg=\"http://epg/a.xml\" x-tvg-url=\"http://epg/b.xml\"\n"
                + "#EXTINF:-1 tvg-id=\"a\" tvg-logo=\"l.png\" group-title=\"G\",A\n"
                + "#EXTVLCOPT:network-caching=1000\n"
                + "#EXTGRP:Sport\n"
                + "acestream://" + ID_A + "\n"
                + "#EXTINF:-1,B\n"
                + "http://example.org/plain.ts\n"
                + "#EXT-X-ENDLIST\n";
        M3uPlaylist playlist = M3uParser.parse(text);
        assertThat(playlist.header()).contains("#EXTM3U url-tvg=\"http://epg/a.xml\" x-tvg-url=\"http://epg/b.xml\"");
        assertThat(playlist.entries().get(0).lines()).containsExactly(
                "#EXTINF:-1 tvg-id=\"a\" tvg-logo=\"l.png\" group-title=\"G\",A",
                "#EXTVLCOPT:network-caching=1000", "#EXTGRP:Sport");
        assertThat(playlist.trailer()).containsExactly("#EXT-X-ENDLIST");
        assertThat(playlist.text()).isEqualTo(text);
        assertThat(playlist.entries().get(0).tvgId()).contains("a");
        assertThat(playlist.entries().get(1).tvgId()).isEmpty();
    }

    @Test
    void writesAHeaderWhenTheSourceHadNone() {
        assertThat(M3uParser.parse(ID_A + "\n").text()).isEqualTo("#EXTM3U\n" + ID_A + "\n");
    }

    @Test
    void readsBytesThatAreNotUtf8WithoutFailing() throws Exception {
        byte[] bytes = ("#EXTINF:-1,Caf\u00e9\n" + ID_A + "\n").getBytes(StandardCharsets.ISO_8859_1);
        M3uPlaylist playlist = M3uParser.parse(new ByteArrayInputStream(bytes));
        assertThat(playlist.entries()).hasSize(1);
        assertThat(playlist.entries().get(0).extinf().map(Extinf::title)).contains("Caf\uFFFD");
    }

    @Test
    void aLaterExtm3uIsAnOrdinaryDirective() {
        M3uPlaylist playlist = M3uParser.parse("#EXTM3U\n#EXTM3U\n" + ID_A + "\n");
        assertThat(playlist.entries().get(0).lines()).containsExactly("#EXTM3U");
        assertThat(playlist.entries().get(0).extinf()).isEqualTo(Optional.empty());
    }

    /**
     * 50 000 entries (about 8 MB, within the catalog's default size bound) parse completely, in
     * memory linear in the input: the test bounds the input and checks every entry came through;
     * the timeout only guards against a runaway, it is not a performance assertion.
     */
    @Test
    @Timeout(60)
    void readsFiftyThousandEntries() throws Exception {
        int count = 50_000;
        StringBuilder text = new StringBuilder("#EXTM3U url-tvg=\"http://epg/guide.xml\"\n");
        for (int i = 0; i < count; i++) {
            String id = String.format("%040x", i);
            text.append("#EXTINF:-1 tvg-id=\"ch").append(i % 1000).append("\" tvg-name=\"Channel ").append(i)
                    .append("\" group-title=\"Group ").append(i % 17).append("\",Channel ").append(i).append('\n')
                    .append("acestream://").append(id).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        assertThat((long) bytes.length).isLessThan(32L << 20);
        M3uPlaylist playlist = M3uParser.parse(new ByteArrayInputStream(bytes));
        assertThat(playlist.entries()).hasSize(count);
        assertThat(playlist.entries().get(count - 1).url()).isEqualTo("acestream://" + String.format("%040x", count - 1));
        assertThat(playlist.entries().get(count - 1).extinf().map(Extinf::title)).contains("Channel " + (count - 1));
        assertThat(playlist.text().length()).isEqualTo(text.length());
    }
}
