package dev.aceproxy.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.aceproxy.engine.AceEngineClient;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded fuzzer over the adapter's request parsing (query decoding, then the stream request's
 * rules): every generated query must give either a 400 {@link HttpProblem} or a request that
 * names one content and passes only allow-listed parameters with safe values. Any other
 * exception is a bug. Fixed seed and a short budget for CI; {@code -Daceproxy.fuzz.iterations}
 * runs longer.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RequestParsingFuzzTest {

    private static final long SEED = 0x5EED_ACE0L;
    private static final int ITERATIONS = Integer.getInteger("aceproxy.fuzz.iterations", 50_000);
    private static final Set<String> ENGINE_PARAMETERS = AceEngineClient.DEFAULT_ALLOWED_PARAMETERS;
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_.,:-]{1,64}");
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");

    private static final String[] NAMES = {
        "id", "infohash", "pid", "token", "content_id", "url", "magnet", "direct_url", "sid", "format",
        "transcode_audio", "transcode_mp3", "transcode_ac3", "preferred_audio_language", "stop_prev_read_thread",
        "ID", "id%00", "%69d", "", "a b", "x",
    };
    private static final String[] VALUES = {
        "0123456789abcdef0123456789abcdef01234567", "0123456789ABCDEF0123456789ABCDEF01234567", "1", "eng", "",
        "%zz", "%", "%ff", "%C3%A9", "%C0%AF", "%00", "%0d%0a", "+", "%2B", "a%20b", "http%3A%2F%2Fevil", "../..",
        "\u00e9", "\u0000", "x".repeat(65), "y".repeat(300), "%41".repeat(100), "=", "&",
    };

    @Test
    void everyQueryIsA400OrASafeRequest() {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String query = query(random);
            try {
                StreamRequest request = StreamRequest.parse(QueryParameters.parse(query), ENGINE_PARAMETERS);
                assertThat(request.content().hex()).as(query).matches(HEX40);
                for (Map.Entry<String, String> p : request.parameters().entrySet()) {
                    assertThat(ENGINE_PARAMETERS).as(query).contains(p.getKey());
                    assertThat(p.getValue()).as(query).matches(SAFE_VALUE);
                }
                accepted++;
            } catch (HttpProblem problem) {
                assertThat(problem.status()).as(query).isEqualTo(400);
                assertThat(problem.code()).as(query).isNotBlank();
                assertThat(problem.getMessage()).as(query).isNotBlank();
            } catch (RuntimeException e) {
                fail("iteration " + i + " threw " + e + " for ?" + query, e);
            }
        }
        assertThat(accepted).as("valid requests generated out of %d", ITERATIONS).isGreaterThan(ITERATIONS / 100);
    }

    @Test
    void randomBytesAsAQueryNeverThrowAnythingButA400() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < ITERATIONS / 5; i++) {
            char[] chars = new char[random.nextInt(200)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = random.nextInt(4) == 0 ? "%&=+".charAt(random.nextInt(4)) : (char) random.nextInt(random.nextBoolean() ? 128 : 0x10000);
            }
            String query = new String(chars);
            try {
                QueryParameters parsed = QueryParameters.parse(query);
                parsed.requireOnly(Set.of("id", "infohash", "token"));
                parsed.single("id");
                StreamRequest.parse(parsed, ENGINE_PARAMETERS);
            } catch (HttpProblem problem) {
                assertThat(problem.status()).isEqualTo(400);
            } catch (RuntimeException e) {
                fail("iteration " + i + " threw " + e + " for a query of " + query.length() + " chars", e);
            }
        }
    }

    private static String query(Random random) {
        StringBuilder query = new StringBuilder();
        // Most queries start from a valid one so that the rules past the first check get exercised.
        if (random.nextInt(3) > 0) {
            query.append(random.nextBoolean() ? "id=" : "infohash=").append(VALUES[0]);
        }
        int extra = random.nextInt(4);
        for (int p = 0; p < extra; p++) {
            if (!query.isEmpty()) {
                query.append('&');
            }
            query.append(NAMES[random.nextInt(NAMES.length)]);
            if (random.nextInt(10) > 0) {
                query.append('=').append(VALUES[random.nextInt(VALUES.length)]);
            }
        }
        return query.toString();
    }
}
