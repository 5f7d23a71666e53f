package dev.aceproxy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.aceproxy.testkit.FakeAceEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class AceEngineClientBuilderTest {

    @Test
    void defaults() {
        try (AceEngineClient client = AceEngineClient.newBuilder().build()) {
            assertThat(client.baseUri()).isEqualTo(URI.create("http://127.0.0.1:6878"));
            assertThat(client.allowedParameters()).containsExactlyInAnyOrder(
                    "transcode_audio", "transcode_mp3", "transcode_ac3", "preferred_audio_language");
            assertThat(client).hasToString("AceEngineClient[http://127.0.0.1:6878]");
        }
    }

    @Test
    void normalisesATrailingSlashAndTheSchemeCase() {
        try (AceEngineClient client = AceEngineClient.newBuilder().baseUri(URI.create("HTTP://engine:6878/")).build()) {
            assertThat(client.baseUri()).isEqualTo(URI.create("http://engine:6878"));
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ftp://127.0.0.1:6878           | engine base uri must be http or https: ftp://127.0.0.1:6878
            localhost:6878                 | engine base uri must be http or https: localhost:6878
            http:///ace                    | engine base uri must name a host: http:///ace
            http://u:secret@127.0.0.1:6878 | engine base uri must not carry user info: 127.0.0.1
            http://127.0.0.1:6878/engine   | engine base uri must be only scheme, host and port (as in http://127.0.0.1:6878): http://127.0.0.1:6878/engine
            http://127.0.0.1:6878/?a=b     | engine base uri must be only scheme, host and port (as in http://127.0.0.1:6878): http://127.0.0.1:6878/?a=b
            """)
    void refusesUnusableBaseUris(String uri, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> AceEngineClient.newBuilder().baseUri(URI.create(uri)))
                .withMessage(message);
    }

    @Test
    void refusesNonPositiveDurationsAndBadUserAgents() {
        AceEngineClient.Builder builder = AceEngineClient.newBuilder();
        assertThatIllegalArgumentException().isThrownBy(() -> builder.getstreamTimeout(Duration.ZERO))
                .withMessage("getstreamTimeout must be a positive duration, got PT0S");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.stopTimeout(Duration.ofSeconds(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.statTimeout(null));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.connectTimeout(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.playbackHeadersTimeout(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> builder.userAgent(" "))
                .withMessage("userAgent must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.userAgent("VLC\r\nX-Evil: 1"))
                .withMessage("userAgent must be printable ASCII, character 4 is U+000D");
    }

    @Test
    void refusesForbiddenOrMalformedAllowedParameters() {
        AceEngineClient.Builder builder = AceEngineClient.newBuilder();
        assertThatIllegalArgumentException().isThrownBy(() -> builder.allowedParameters(Set.of("Magnet")))
                .withMessageStartingWith("getstream parameter \"Magnet\" can never be allowed");
        assertThatIllegalArgumentException().isThrownBy(() -> builder.allowedParameters(Set.of("a=b")))
                .withMessage("getstream parameter name must be 1 to 64 letters, digits or underscores: \"a=b\"");
    }

    @Test
    void aSuppliedHttpClientMustNotFollowRedirectsAndIsNotClosed() throws Exception {
        try (HttpClient follows = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()) {
            assertThatIllegalArgumentException().isThrownBy(() -> AceEngineClient.newBuilder().httpClient(follows))
                    .withMessageStartingWith("the supplied HttpClient must use HttpClient.Redirect.NEVER, found NORMAL");
        }
        try (HttpClient supplied = HttpClient.newHttpClient();
             FakeAceEngine fake = FakeAceEngine.start()) {
            assertThatIllegalStateException().isThrownBy(() -> AceEngineClient.newBuilder().httpClient(supplied)
                    .connectTimeout(Duration.ofSeconds(1)).build());
            AceEngineClient client = AceEngineClient.newBuilder().baseUri(fake.baseUri()).httpClient(supplied).build();
            assertThat(client.probe().version()).isEqualTo("3.1.70");

            client.close();

            assertThat(supplied.isTerminated()).isFalse();
            AceEngineClient again = AceEngineClient.newBuilder().baseUri(fake.baseUri()).httpClient(supplied).build();
            assertThat(again.probe().version()).isEqualTo("3.1.70");
        }
    }
}
