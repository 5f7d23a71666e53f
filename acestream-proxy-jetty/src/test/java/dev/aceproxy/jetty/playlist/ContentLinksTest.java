package dev.aceproxy.jetty.playlist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.ContentId;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which playlist urls name an AceStream content, and which content. */
class ContentLinksTest {

    private static final String ID = "0123456789abcdef0123456789abcdef01234567";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "acestream://0123456789abcdef0123456789abcdef01234567 | id",
            "ACESTREAM://0123456789ABCDEF0123456789ABCDEF01234567 | id",
            "acestream://0123456789abcdef0123456789abcdef01234567/ | id",
            "0123456789abcdef0123456789abcdef01234567 | id",
            "http://127.0.0.1:6878/ace/getstream?id=0123456789abcdef0123456789abcdef01234567 | id",
            "http://engine:6878/ace/getstream?content_id=0123456789abcdef0123456789abcdef01234567&pid=1 | id",
            "http://engine:6878/ace/getstream/?pid=7&infohash=0123456789abcdef0123456789abcdef01234567 | infohash",
            "https://proxy.example/ace/manifest.m3u8?id=0123456789abcdef0123456789abcdef01234567&token=x | id",
            "http://engine:6878/ace/manifest.m3u8?format=json&infohash=0123456789abcdef0123456789abcdef01234567 | infohash",
            "http://127.0.0.1:6878/pid/0123456789abcdef0123456789abcdef01234567/stream.mp4 | id",
            "http://host:8000/content_id/0123456789abcdef0123456789abcdef01234567/stream.ts | id",
            "http://host:8000/infohash/0123456789abcdef0123456789abcdef01234567/x.ts | infohash",
            "http://example.org/live/stream.ts | none",
            "acestream://0123456789abcdef0123456789abcdef0123456 | none",
            "acestream://0123456789abcdef0123456789abcdef012345678 | none",
            "0123456789abcdef0123456789abcdef0123456g | none",
            "http://engine:6878/ace/getstream?id=nothex | none",
            "http://engine:6878/other?id=0123456789abcdef0123456789abcdef01234567 | none",
            "rtmp://x | none",
    })
    void recognises(String url, String kind) {
        Optional<ContentId> content = ContentLinks.contentOf(url);
        if (kind == null) {
            assertThat(content).isEmpty();
            return;
        }
        assertThat(content).isPresent();
        assertThat(content.get().kind().parameter()).isEqualTo(kind);
        assertThat(content.get().hex()).isEqualTo(ID);
    }
}
