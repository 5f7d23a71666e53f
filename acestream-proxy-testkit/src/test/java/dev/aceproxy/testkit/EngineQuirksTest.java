package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static dev.aceproxy.testkit.EngineCalls.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's quirks: framing, -1 values, {@code buf} during a stall, replacing readers, warm-up. */
@Timeout(20)
class EngineQuirksTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private FakeAceEngine engine;

    @BeforeEach
    void start() throws IOException {
        engine = FakeAceEngine.builder().bitrate(800_000).start();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void aRedirectHasNoContentLengthNorConnectionCloseAndTheConnectionEndsAfterIt() throws Exception {
        String answer = rawAnswer(engine.baseUri().resolve("/ace/getstream?id=" + CONTENT));

        assertThat(answer).startsWith("HTTP/1.1 302 Found\r\n").contains("\r\nLocation: http://127.0.0.1:")
                .endsWith("\r\n\r\n");
        assertThat(answer.toLowerCase()).doesNotContain("content-length", "connection:");
    }

    @Test
    void errorAnswersHaveNoContentLengthNorConnectionClose() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        engine.failPlaybackStarts(1);

        String startTimeout = rawAnswer(session.playback());
        String notFound = rawAnswer(engine.baseUri().resolve("/nothing"));

        assertThat(startTimeout).startsWith("HTTP/1.1 500 ").endsWith("\r\n\r\nstart timeout");
        assertThat(notFound).startsWith("HTTP/1.1 404 ");
        assertThat(startTimeout.toLowerCase()).doesNotContain("content-length", "connection:");
        assertThat(notFound.toLowerCase()).doesNotContain("content-length", "connection:");
        assertThat(get(engine, "/nothing").statusCode()).as("a client reads it to the close").isEqualTo(404);
    }

    @Test
    void jsonAnswersHaveAContentLengthUnlessCloseDelimited() throws Exception {
        assertThat(rawAnswer(engine.baseUri().resolve("/ace/getstream?format=json&id=" + CONTENT)))
                .containsIgnoringCase("content-length: ");
        try (FakeAceEngine closeDelimited = FakeAceEngine.builder().closeDelimitedJson(true).start()) {
            String getstream = rawAnswer(closeDelimited.baseUri().resolve("/ace/getstream?format=json&id=" + CONTENT));
            EngineCalls.Session session = EngineCalls.sessionOf(getstream);
            String stat = rawAnswer(session.stat());
            String stop = rawAnswer(session.stop());

            assertThat(getstream).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\"error\": null}");
            assertThat(stat).contains("\"status\": \"dl\"");
            assertThat(stop).endsWith("{\"response\": \"ok\", \"error\": null}");
            for (String answer : new String[] {getstream, stat, stop}) {
                assertThat(answer.toLowerCase()).doesNotContain("content-length", "connection:");
            }
            HttpResponse<String> viaClient = get(closeDelimited, "/ace/getstream?format=json&id=" + CONTENT);
            assertThat(viaClient.body()).startsWith("{\"response\": {").endsWith("}");
        }
    }

    @Test
    void unknownLiveFlagsAnswerMinusOne() throws Exception {
        try (FakeAceEngine unknown = FakeAceEngine.builder().unknownLiveFlags(true).start()) {
            assertThat(get(unknown, "/ace/getstream?format=json&id=" + CONTENT).body())
                    .contains("\"is_live\": -1, \"is_encrypted\": -1");
        }
        assertThat(get(engine, "/ace/getstream?format=json&id=" + CONTENT).body())
                .contains("\"is_live\": 1, \"is_encrypted\": 0");
    }

    @Test
    void statSaysBufDuringAStallThenDlAgain() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        try (EngineCalls.RawResponse playback = EngineCalls.open(session.playback())) {
            playback.body().readNBytes(188);
            assertThat(get(session.stat()).body()).contains("\"status\": \"dl\"");

            engine.stallPlaybacks(Duration.ofSeconds(30));
            assertThat(get(session.stat()).body()).contains("\"status\": \"buf\"", "\"speed_down\": 0");

            engine.stallPlaybacks(Duration.ZERO);
            assertThat(get(session.stat()).body()).contains("\"status\": \"dl\"");
        }
    }

    @Test
    void aStallThatRunsOutEndsBuffering() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        engine.stallPlaybacks(Duration.ofMillis(300));
        assertThat(get(session.stat()).body()).contains("\"status\": \"buf\"");

        Eventually.within(WAIT, "stat status dl after the stall", () -> get(session.stat()).body(),
                stat -> stat.contains("\"status\": \"dl\""));
    }

    @Test
    void stopPrevReadThreadReplacesTheReaderInsteadOfBreaking() throws Exception {
        EngineCalls.Session session = EngineCalls.start(engine, CONTENT);
        URI replacing = URI.create(session.playback() + "?stop_prev_read_thread=1");
        try (EngineCalls.RawResponse first = EngineCalls.open(session.playback())) {
            first.body().readNBytes(188 * 10);

            try (EngineCalls.RawResponse second = EngineCalls.open(replacing)) {
                assertThat(second.status()).isEqualTo(200);
                assertThat(PlaybackTest.drainsToEnd(first.body())).as("the old reader is cut").isTrue();
                byte[] bytes = second.body().readNBytes(188 * 500);
                assertThat(bytes).hasSize(188 * 500);
                assertThat(bytes[0]).isEqualTo((byte) 0x47);
            }
        }
        assertThat(engine.readerReplacements()).isEqualTo(1);
        assertThat(engine.secondReaderAttempts()).isZero();
        assertThat(engine.awaitEvent(EngineEvent.Kind.READER_REPLACED, WAIT)).isNotNull();
    }

    @Test
    void warmUpOpensAnswer200AndEndAtOnceEachCounted() throws Exception {
        try (FakeAceEngine slow = FakeAceEngine.builder().prebufferDelay(Duration.ofSeconds(30)).start()) {
            EngineCalls.Session session = EngineCalls.start(slow, CONTENT);
            slow.warmUpEmptyPlaybacks(2);

            for (int i = 0; i < 2; i++) {
                // even while prebuffering: the answer comes at once, then EOF
                try (EngineCalls.RawResponse empty = EngineCalls.open(session.playback())) {
                    assertThat(empty.status()).isEqualTo(200);
                    assertThat(empty.body().read()).isEqualTo(-1);
                }
                assertThat(slow.awaitEvent(EngineEvent.Kind.PLAYBACK_OPENED, WAIT)).isNotNull();
                assertThat(slow.awaitEvent(EngineEvent.Kind.PLAYBACK_CLOSED, WAIT)).isNotNull();
            }
            assertThat(slow.playbackOpens()).isEqualTo(2);
            assertThat(slow.secondReaderAttempts()).isZero();
        }
    }

    /** The whole answer, head and body, read to the connection's close. */
    private static String rawAnswer(URI uri) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
