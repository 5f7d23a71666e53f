package dev.aceproxy.engine;

import dev.aceproxy.engine.internal.EngineAnswers;
import dev.aceproxy.engine.internal.EngineAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.aceproxy.internal.json.JsonObject;
import dev.aceproxy.internal.json.JsonParseException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded fuzzer over the whole reading of engine answers (strict UTF-8, JSON, envelope, typed
 * fields, url rewriting and refusal): mutated getstream, stat and version bodies must either be
 * refused with the reader's checked exceptions or give records that hold only urls on the
 * configured engine, under {@code /ace/}. Any other exception, or a url elsewhere, is a bug.
 * Fixed seed and a short budget so that CI runs it every time; raise
 * {@code -Daceproxy.fuzz.iterations} for a longer run.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EngineAnswerFuzzTest {

    private static final long SEED = 0xACE0_F022L;
    private static final int ITERATIONS = Integer.getInteger("aceproxy.fuzz.iterations", 30_000);
    private static final EngineAddress ENGINE = EngineAddress.of(URI.create("http://127.0.0.1:6878"));
    private static final ContentId CONTENT = ContentId.id("0123456789abcdef0123456789abcdef01234567");

    private static final List<String> SEEDS = List.of(
            "{\"response\": {\"playback_url\": \"http://127.0.0.1:6878/ace/r/aaaa/bbbb\", "
                    + "\"stat_url\": \"http://127.0.0.1:6878/ace/stat/aaaa/bbbb\", "
                    + "\"command_url\": \"http://127.0.0.1:6878/ace/cmd/aaaa/bbbb\", "
                    + "\"infohash\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"playback_session_id\": \"cc\", "
                    + "\"is_live\": 1, \"is_encrypted\": 0, \"client_session_id\": -1}, \"error\": null}",
            "{\"response\": {\"status\": \"dl\", \"peers\": 7, \"speed_down\": 612, \"speed_up\": 40, "
                    + "\"downloaded\": 123456789, \"uploaded\": 0, \"livepos\": {\"pos\": \"1\"}}, \"error\": null}",
            "{\"result\": {\"code\": 3017000, \"platform\": \"linux\", \"version\": \"3.1.70\"}, \"error\": null}",
            "{\"response\": null, \"error\": \"failed to load content\"}",
            "{\"result\": null, \"error\": {\"message\": \"unknown method\", \"code\": 0}}");

    private static final String[] FRAGMENTS = {
        "http://10.0.0.1/ace/r/x", "file:///etc/passwd", "//evil/ace/r", "/ace/../x", "%2e%2e", "@", "#", "?", "\\u0000",
        "\\ud800", "1e999999", "-1", "1.5", "9223372036854775808", "null", "true", "[]", "{}", "\"", "\\", "{\"a\":",
        "http://user@127.0.0.1:6878/ace/r/x", "https://127.0.0.1:6878/ace/r/x", "HTTP://127.0.0.1:6878/ACE/r/x",
        "http://127.0.0.1:6878/ace/r/x?method=stop", "javascript:x", "\u00ff", "\u202e", "[[[[[[[[", "]]]]",
    };

    @Test
    void mutatedEngineAnswersAreRefusedOrStayOnTheEngine() {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] body = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
            try {
                accepted += read(body) ? 1 : 0;
            } catch (JsonParseException | EngineAddress.UnsafeUri expected) {
                // refused: what an answer that cannot be used must give
            } catch (RuntimeException | StackOverflowError e) {
                fail("iteration " + i + " threw " + e + " for " + new String(body, StandardCharsets.UTF_8), e);
            }
        }
        // The mutations must leave a share of valid answers, or the test checks nothing about them.
        assertThat(accepted).as("answers accepted out of %d", ITERATIONS).isGreaterThan(ITERATIONS / 50);
    }

    /** Reads a body the three ways the client does; true when one of them accepted it. */
    private static boolean read(byte[] body) throws JsonParseException, EngineAddress.UnsafeUri {
        JsonObject answer = EngineAnswers.parse(body);
        EngineAnswers.error(answer);
        boolean accepted = false;
        if (answer.has("response") && answer.value("response").orElse(null) instanceof java.util.Map<?, ?>) {
            JsonObject response = answer.object("response");
            try {
                EngineSession session = EngineAnswers.session(CONTENT, response, ENGINE);
                for (URI uri : List.of(session.playbackUri(), session.statUri(), session.commandUri())) {
                    assertThat(uri.getScheme()).isEqualTo("http");
                    assertThat(uri.getRawAuthority()).isEqualTo("127.0.0.1:6878");
                    assertThat(uri.getRawPath()).startsWith("/ace/").doesNotContain("/../", "/./");
                    assertThat(uri.getRawFragment()).isNull();
                }
                accepted = true;
            } catch (JsonParseException | EngineAddress.UnsafeUri notASession) {
                // a stat answer read as a session, or a refused one: fine
            }
            try {
                EngineStats stats = EngineAnswers.stats(response);
                assertThat(stats.peers()).isGreaterThanOrEqualTo(EngineStats.UNKNOWN);
                assertThat(stats.downloadedBytes()).isGreaterThanOrEqualTo(EngineStats.UNKNOWN);
                accepted = true;
            } catch (JsonParseException notStats) {
                // fine
            }
        }
        if (answer.has("result") && answer.value("result").orElse(null) instanceof java.util.Map<?, ?>) {
            EngineAnswers.version(answer.object("result"));
            accepted = true;
        }
        return accepted;
    }

    private static byte[] mutate(String seed, Random random) {
        StringBuilder text = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && !text.isEmpty(); e++) {
            int at = random.nextInt(text.length());
            switch (random.nextInt(6)) {
                case 0 -> text.deleteCharAt(at);
                case 1 -> text.insert(at, (char) random.nextInt(128));
                case 2 -> text.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                case 3 -> text.setCharAt(at, (char) (32 + random.nextInt(95)));
                case 4 -> replaceAValue(text, random);
                default -> text.setLength(at);
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(20) == 0 && bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(128)); // break the UTF-8
        }
        return bytes;
    }

    /** Swaps the value after a random {@code ": } for a fragment, keeping the document mostly intact. */
    private static void replaceAValue(StringBuilder text, Random random) {
        int colon = text.indexOf(": ", random.nextInt(text.length()));
        if (colon < 0) {
            return;
        }
        int start = colon + 2;
        int end = start;
        while (end < text.length() && ",}".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        String fragment = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
        text.replace(start, end, random.nextBoolean() ? "\"" + fragment.replace("\"", "") + "\"" : fragment);
    }
}
