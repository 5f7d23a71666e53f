package dev.aceproxy.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class JsonReaderTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                         | malformed JSON at line 1, column 1: expected a value, found end of input
            `   `                      | malformed JSON at line 1, column 4: expected a value, found end of input
            `{"a": 1`                  | malformed JSON at line 1, column 8: expected ',' or '}' after an object member, found end of input
            `{"a" 1}`                  | malformed JSON at line 1, column 6: expected ':' after an object key, found '1'
            `{a: 1}`                   | malformed JSON at line 1, column 2: expected '"' to start an object key, found 'a'
            `{"a": 1,}`                | malformed JSON at line 1, column 9: expected '"' to start an object key, found '}'
            `[1, 2`                    | malformed JSON at line 1, column 6: expected ',' or ']' after an array element, found end of input
            `[1,]`                     | malformed JSON at line 1, column 4: expected a value, found ']'
            `{} x`                     | malformed JSON at line 1, column 4: expected end of input after the top-level value, found 'x'
            `{}{}`                     | malformed JSON at line 1, column 3: expected end of input after the top-level value, found '{'
            `"abc`                     | malformed JSON at line 1, column 5: expected '"' to close the string that starts at line 1, column 1, found end of input
            `"a\\x"`                   | malformed JSON at line 1, column 4: invalid escape character (expected one of " \\ / b f n r t u), found 'x'
            `"\\u12G4"`                | malformed JSON at line 1, column 6: expected 4 hexadecimal digits after \\u, found 'G'
            `"\\u12"`                  | malformed JSON at line 1, column 6: expected 4 hexadecimal digits after \\u, found '"'
            `"\\ud800"`                | malformed JSON at line 1, column 2: unpaired UTF-16 surrogate escape, found '\\'
            `"\\udc00x"`               | malformed JSON at line 1, column 2: unpaired UTF-16 surrogate escape, found '\\'
            `"\\ud800\\u0041"`         | malformed JSON at line 1, column 8: expected a low surrogate escape (\\uDC00-\\uDFFF) after the high surrogate escape at line 1, column 2, found '\\'
            `01`                       | malformed JSON at line 1, column 2: leading zero in a number, found '1'
            `-01`                      | malformed JSON at line 1, column 3: leading zero in a number, found '1'
            `-`                        | malformed JSON at line 1, column 2: expected a digit, found end of input
            `1.`                       | malformed JSON at line 1, column 3: expected a digit after the decimal point, found end of input
            `1e`                       | malformed JSON at line 1, column 3: expected a digit in the exponent, found end of input
            `+1`                       | malformed JSON at line 1, column 1: expected a value, found '+'
            `.5`                       | malformed JSON at line 1, column 1: expected a value, found '.'
            `tru`                      | malformed JSON at line 1, column 1: expected the literal true, found 't'
            `nul`                      | malformed JSON at line 1, column 1: expected the literal null, found 'n'
            `NaN`                      | malformed JSON at line 1, column 1: expected a value, found 'N'
            `{"a": 1, "a": 2}`         | malformed JSON at line 1, column 10: duplicate object key "a", found '"'
            `'a'`                      | malformed JSON at line 1, column 1: expected a value, found '''
            `{"a":\n  [1, x]}`         | malformed JSON at line 2, column 7: expected a value, found 'x'
            """)
    void refusesMalformedInputSayingWhereAndWhat(String input, String message) {
        String text = input.replace("\\n", "\n").replace("\\\\", "\\");
        assertThatThrownBy(() -> JsonReader.parse(text))
                .isInstanceOf(JsonParseException.class)
                .hasMessage(message.replace("\\\\", "\\"));
    }

    @Test
    void refusesRawControlCharactersInStrings() {
        assertThatThrownBy(() -> JsonReader.parse("\"a\tb\""))
                .isInstanceOf(JsonParseException.class)
                .hasMessage("malformed JSON at line 1, column 3: control character in a string (must be escaped),"
                        + " found U+0009");
        assertThatThrownBy(() -> JsonReader.parse("\"a\u0000\""))
                .hasMessageContaining("control character in a string");
    }

    @Test
    void refusesRawUnpairedSurrogatesAndByteOrderMark() {
        assertThatThrownBy(() -> JsonReader.parse("\"a\uD800b\""))
                .isInstanceOf(JsonParseException.class)
                .hasMessage("malformed JSON at line 1, column 3: unpaired UTF-16 surrogate in a string, found U+D800");
        assertThatThrownBy(() -> JsonReader.parse("\"\uDC00\""))
                .hasMessageContaining("unpaired UTF-16 surrogate in a string");
        assertThatThrownBy(() -> JsonReader.parse("\uFEFF{}"))
                .hasMessage("malformed JSON at line 1, column 1: expected a value, found U+FEFF");
    }

    @Test
    void refusesNestingDeeperThanTheBound() throws JsonParseException {
        String deepest = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(JsonReader.parse(deepest)).isInstanceOf(List.class);

        String tooDeep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonReader.parse(tooDeep))
                .isInstanceOf(JsonParseException.class)
                .hasMessage("malformed JSON at line 1, column 65: nesting deeper than 64 levels, found '['");
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":".repeat(70)))
                .hasMessageContaining("nesting deeper than 64 levels");
    }

    @Test
    void refusesHundredThousandOpenBracketsWithoutOverflowingTheStack() {
        assertThatThrownBy(() -> JsonReader.parse("[".repeat(100_000)))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("nesting deeper than 64 levels");
        assertThatThrownBy(() -> JsonReader.parse("{\"a\":[".repeat(100_000)))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("nesting deeper than 64 levels");
    }

    @Test
    void refusesOverlongAndOutOfRangeNumbers() {
        assertThatThrownBy(() -> JsonReader.parse("1".repeat(101)))
                .isInstanceOf(JsonParseException.class)
                .hasMessage("malformed JSON at line 1, column 1: number longer than 100 characters, found '1'");
        assertThatThrownBy(() -> JsonReader.parse("1e99999999999"))
                .isInstanceOf(JsonParseException.class)
                .hasMessage("malformed JSON at line 1, column 1: number out of range, found '1'");
    }

    @Test
    void readsEveryKindOfValue() throws JsonParseException {
        Object value = JsonReader.parse("""
                 {"s": "a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00", "i": -42, "big": 12345678901234567890,
                  "max": 9223372036854775807, "min": -9223372036854775808, "d": 1.5e3, "z": -0,
                  "t": true, "f": false, "n": null, "a": [1, "x", [], {}], "o": {"k": "v"}, "u": "héllo 😀"}
                """);
        assertThat(value).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) value;
        assertThat(map.keySet().stream().map(Object::toString).toList()).containsExactly("s", "i", "big", "max", "min", "d", "z", "t", "f", "n", "a", "o", "u");
        assertThat(map.get("s")).isEqualTo("a\"b\\c/d\b\f\n\r\té😀");
        assertThat(map.get("i")).isEqualTo(-42L);
        assertThat(map.get("big")).isEqualTo(new BigDecimal("12345678901234567890"));
        assertThat(map.get("max")).isEqualTo(Long.MAX_VALUE);
        assertThat(map.get("min")).isEqualTo(Long.MIN_VALUE);
        assertThat(map.get("d")).isEqualTo(new BigDecimal("1.5e3"));
        assertThat(map.get("z")).isEqualTo(0L);
        assertThat(map.get("t")).isEqualTo(Boolean.TRUE);
        assertThat(map.get("f")).isEqualTo(Boolean.FALSE);
        assertThat(map.get("n")).isSameAs(JsonNull.NULL);
        assertThat(map.get("a")).isEqualTo(List.of(1L, "x", List.of(), Map.of()));
        assertThat(map.get("o")).isEqualTo(Map.of("k", "v"));
        assertThat(map.get("u")).isEqualTo("héllo 😀");
    }

    @Test
    void valuesAreImmutable() throws JsonParseException {
        Map<?, ?> map = (Map<?, ?>) JsonReader.parse("{\"a\": [1], \"o\": {}}");
        assertThatThrownBy(() -> map.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) map.get("a")).clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((Map<?, ?>) map.get("o")).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void validEngineDocumentsRoundTrip() throws JsonParseException {
        for (String document : EngineDocuments.ALL) {
            Object first = JsonReader.parse(document);
            Object again = JsonReader.parse(RoundTripWriter.write(first));
            assertThat(again).as(document).isEqualTo(first);
        }
    }

    @Test
    void parseObjectRefusesOtherTopLevelValues() {
        assertThatThrownBy(() -> JsonReader.parseObject("[1]"))
                .isInstanceOf(JsonParseException.class)
                .hasMessage("expected a JSON object at the top level, found an array");
        assertThatThrownBy(() -> JsonReader.parseObject("\"x\""))
                .hasMessage("expected a JSON object at the top level, found a string");
    }
}
