package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JsonLineTest {

    @Test
    void rendersNestedValuesOnOneLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\nd\u0001");
        m.put("n", 42);
        m.put("d", 1.23456);
        m.put("whole", 3.0);
        m.put("nan", Double.NaN);
        m.put("none", Optional.empty());
        m.put("some", OptionalLong.of(7));
        m.put("list", List.of(1, "x", true));
        m.put("null", null);
        assertThat(JsonLine.of(m)).isEqualTo("{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"n\":42,\"d\":1.235,\"whole\":3,"
                + "\"nan\":null,\"none\":null,\"some\":7,\"list\":[1,\"x\",true],\"null\":null}");
    }

    @Test
    void rejectsOtherTypes() {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonLine.of(new Object()));
    }
}
