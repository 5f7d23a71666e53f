package dev.aceproxy.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutates valid engine documents at random (fixed seed) and checks that every outcome is either a
 * value or a {@link JsonParseException}: never another exception, a hang or a stack overflow.
 */
class JsonReaderFuzzTest {

    private static final long SEED = 0x5eed_ace_2024L;
    private static final int MUTATIONS = 20_000;
    private static final String ALPHABET = "{}[]\":,\\/ \t\n-+.eE0123456789truefalsnl\u0000\u001f\u00e9\ud83d\ude00\ud800\udc00x";

    @Test
    @Timeout(20)
    void everyMutationGivesAValueOrAParseException() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> seeds = EngineDocuments.ALL;
        int values = 0;
        int refusals = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            String input = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                Object value = JsonReader.parse(input);
                assertThat(value).isNotNull();
                // written back and read again gives the same document (numbers may change notation)
                String written = RoundTripWriter.write(value);
                assertThat(RoundTripWriter.write(JsonReader.parse(written))).isEqualTo(written);
                values++;
            } catch (JsonParseException expected) {
                assertThat(expected.getMessage()).isNotBlank();
                refusals++;
            } catch (Throwable other) {
                fail("mutation " + i + " threw " + other + " for input: " + input, other);
            }
        }
        // both outcomes must occur, or the mutations are not exercising the reader
        assertThat(values).isPositive();
        assertThat(refusals).isPositive();
    }

    @Test
    @Timeout(10)
    void typedAccessorsOnMutatedDocumentsThrowOnlyParseExceptions() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        List<String> fields = List.of("response", "result", "error", "status", "peers", "is_live", "code");
        for (int i = 0; i < 5_000; i++) {
            String input = mutate(EngineDocuments.ALL.get(random.nextInt(EngineDocuments.ALL.size())), random);
            try {
                JsonObject root = JsonReader.parseObject(input);
                for (Map.Entry<String, Object> member : root.members().entrySet()) {
                    if (member.getValue() instanceof Map<?, ?>) {
                        JsonObject child = root.object(member.getKey());
                        for (String field : fields) {
                            readEveryWay(child, field);
                        }
                    }
                }
                for (String field : fields) {
                    readEveryWay(root, field);
                }
            } catch (JsonParseException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (Throwable other) {
                fail("mutation " + i + " threw " + other + " for input: " + input, other);
            }
        }
    }

    private static void readEveryWay(JsonObject object, String field) {
        List<ThrowingRead> reads = List.of(
                () -> object.optionalString(field), () -> object.optionalLong(field),
                () -> object.optionalFlag(field), () -> object.optionalObject(field), () -> object.intValue(field));
        for (ThrowingRead read : reads) {
            try {
                read.run();
            } catch (JsonParseException expected) {
                assertThat(expected.getMessage()).startsWith(object.pathOf(field) + ":");
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRead {
        void run() throws JsonParseException;
    }

    private static String mutate(String seed, SplittableRandom random) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length());
            switch (random.nextInt(6)) {
                case 0 -> {
                    if (!s.isEmpty()) {
                        s.deleteCharAt(at);
                    }
                }
                case 1 -> s.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> {
                    if (!s.isEmpty()) {
                        s.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                }
                case 3 -> s.setLength(at); // truncation
                case 4 -> {
                    String nest = random.nextBoolean() ? "[" : "{\"k\":";
                    s.insert(at, nest.repeat(1 + random.nextInt(100)));
                }
                default -> {
                    int from = s.isEmpty() ? 0 : random.nextInt(s.length());
                    int to = Math.min(s.length(), from + random.nextInt(20));
                    s.insert(at, s.substring(from, to)); // duplicate a slice
                }
            }
        }
        return s.toString();
    }
}
