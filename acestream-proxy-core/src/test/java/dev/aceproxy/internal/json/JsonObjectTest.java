package dev.aceproxy.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class JsonObjectTest {

    private static JsonObject response() throws JsonParseException {
        return JsonReader.parseObject("""
                {"response": {"status": "dl", "peers": 7, "big": 9223372036854775808, "neg": -1, "half": 0.5,
                              "seven": 7.0, "huge": 1e400, "tiny": 1e-400, "int": 4294967296, "live": 1, "two": 2,
                              "yes": true, "nothing": null, "list": [], "obj": {"x": "y"}},
                 "error": null}""").object("response");
    }

    @Test
    void readsTypedFields() throws JsonParseException {
        JsonObject r = response();
        assertThat(r.path()).isEqualTo("response");
        assertThat(r.string("status")).isEqualTo("dl");
        assertThat(r.intValue("peers")).isEqualTo(7);
        assertThat(r.longValue("int")).isEqualTo(4294967296L);
        assertThat(r.longValue("seven")).isEqualTo(7L);
        assertThat(r.longValue("neg")).isEqualTo(-1L);
        assertThat(r.flag("live")).isTrue();
        assertThat(r.flag("yes")).isTrue();
        assertThat(r.object("obj").string("x")).isEqualTo("y");
        assertThat(r.object("obj").path()).isEqualTo("response.obj");
        assertThat(r.optionalString("nothing")).isEmpty();
        assertThat(r.optionalString("absent")).isEmpty();
        assertThat(r.optionalLong("absent")).isEqualTo(OptionalLong.empty());
        assertThat(r.optionalObject("nothing")).isEqualTo(Optional.empty());
        assertThat(r.has("nothing")).isFalse();
        assertThat(r.has("status")).isTrue();
        assertThat(r.value("nothing")).contains(JsonNull.NULL);
    }

    @Test
    void namesTheFieldPathWhenATypeIsWrongOrAFieldMissing() throws JsonParseException {
        JsonObject r = response();
        assertThatThrownBy(() -> r.string("peers"))
                .isInstanceOf(JsonParseException.class).hasMessage("response.peers: expected a string, found the number 7");
        assertThatThrownBy(() -> r.intValue("status"))
                .hasMessage("response.status: expected an integer, found a string");
        assertThatThrownBy(() -> r.string("absent")).hasMessage("response.absent: missing");
        assertThatThrownBy(() -> r.string("nothing")).hasMessage("response.nothing: must not be null");
        assertThatThrownBy(() -> r.object("list")).hasMessage("response.list: expected an object, found an array");
        assertThatThrownBy(() -> r.object("obj").intValue("x"))
                .hasMessage("response.obj.x: expected an integer, found a string");
        assertThatThrownBy(() -> r.flag("two")).hasMessage("response.two: expected a boolean or 0/1, found the number 2");
    }

    @Test
    void refusesNumbersOutOfRangeForTheRequestedType() throws JsonParseException {
        JsonObject r = response();
        assertThatThrownBy(() -> r.longValue("big")).hasMessage("response.big: integer out of the 64-bit range");
        assertThatThrownBy(() -> r.longValue("huge")).hasMessage("response.huge: integer out of the 64-bit range");
        assertThatThrownBy(() -> r.intValue("int")).hasMessage("response.int: integer out of the 32-bit range");
        assertThatThrownBy(() -> r.longValue("half")).hasMessage("response.half: expected an integer, found 0.5");
        assertThatThrownBy(() -> r.longValue("tiny")).hasMessage("response.tiny: expected an integer, found 1E-400");
    }
}
