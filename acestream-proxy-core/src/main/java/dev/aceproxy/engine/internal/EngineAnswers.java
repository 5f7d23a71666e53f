package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.EngineVersion;
import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.engine.EngineSession;
import dev.aceproxy.engine.EngineFlag;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.internal.PrintableText;
import dev.aceproxy.internal.json.JsonObject;
import dev.aceproxy.internal.json.JsonParseException;
import dev.aceproxy.internal.json.JsonReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the engine's JSON answers into the client's records. Every method either returns a complete
 * value or throws; nothing here talks to the network.
 */
public final class EngineAnswers {

    /** The longest engine text kept in an exception message. */
    public static final int MAX_ENGINE_TEXT = 200;
    /**
     * The longest engine word kept (a session's state, the engine's version and platform): they
     * reach the status and {@code /healthz}, so they are cleaned and cut like any untrusted text.
     */
    public static final int MAX_ENGINE_WORD = 64;

    private EngineAnswers() {
    }

    /** Decodes a body as strict UTF-8 and parses it as a JSON object. */
    public static JsonObject parse(byte[] body) throws JsonParseException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new JsonParseException("body is not valid UTF-8");
        }
        return JsonReader.parseObject(text);
    }

    /**
     * Returns the engine's {@code error}: absent or {@code null} means none; a string is the text;
     * an object (as {@code /server/api} sends) gives its {@code message}.
     */
    public static Optional<String> error(JsonObject answer) throws JsonParseException {
        Object value = answer.value("error").orElse(null);
        if (value == null || !answer.has("error")) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(clean(text));
        }
        if (value instanceof java.util.Map<?, ?>) {
            JsonObject object = answer.object("error");
            return Optional.of(clean(object.optionalString("message").orElse("(error without a message)")));
        }
        throw new JsonParseException("error: expected a string, an object or null");
    }

    /** Reads a getstream {@code response} object. */
    public static EngineSession session(ContentId content, JsonObject response, EngineAddress engine)
            throws JsonParseException, EngineAddress.UnsafeUri {
        URI playback = rewrite(engine, response, "playback_url");
        URI stat = rewrite(engine, response, "stat_url");
        URI command = rewrite(engine, response, "command_url");
        String infohash = response.string("infohash");
        String playbackSessionId = response.optionalString("playback_session_id").orElse("");
        EngineFlag live = flag(response, "is_live");
        EngineFlag encrypted = flag(response, "is_encrypted");
        return new EngineSession(content, playback, stat, command, infohash, playbackSessionId, live, encrypted);
    }

    /** A 0/1 (or boolean) field that may be {@code -1}, "unknown", or absent. */
    private static EngineFlag flag(JsonObject response, String field) throws JsonParseException {
        if (response.value(field).orElse(null) instanceof Long value && value == EngineStats.UNKNOWN) {
            return EngineFlag.UNKNOWN;
        }
        return response.optionalFlag(field).map(EngineFlag::of).orElse(EngineFlag.UNKNOWN);
    }

    private static URI rewrite(EngineAddress engine, JsonObject response, String field)
            throws JsonParseException, EngineAddress.UnsafeUri {
        String advertised = response.string(field);
        try {
            return engine.rewrite(advertised);
        } catch (EngineAddress.UnsafeUri e) {
            throw new EngineAddress.UnsafeUri(response.pathOf(field) + " " + clean(advertised) + " is refused: "
                    + e.getMessage());
        }
    }

    /** Reads a stat {@code response} object. */
    public static EngineStats stats(JsonObject response) throws JsonParseException {
        String status = PrintableText.clean(response.string("status"), MAX_ENGINE_WORD);
        int peers = countInt(response, "peers");
        long down = count(response, "speed_down");
        long up = count(response, "speed_up");
        long downloaded = count(response, "downloaded");
        long uploaded = count(response, "uploaded");
        return new EngineStats(status, peers, down, up, downloaded, uploaded);
    }

    /** A count that is not negative, or {@code -1} for "unknown"; absent or {@code null} reads as 0. */
    private static long count(JsonObject object, String field) throws JsonParseException {
        long value = object.optionalLong(field).orElse(0);
        if (value < EngineStats.UNKNOWN) {
            throw new JsonParseException(object.pathOf(field) + ": must not be negative (or -1 for unknown), found "
                    + value);
        }
        return value;
    }

    private static int countInt(JsonObject object, String field) throws JsonParseException {
        long value = count(object, field);
        if (value > Integer.MAX_VALUE) {
            throw new JsonParseException(object.pathOf(field) + ": integer out of the 32-bit range");
        }
        return (int) value;
    }

    /** Reads a get_version {@code result} object. */
    public static EngineVersion version(JsonObject result) throws JsonParseException {
        String version = PrintableText.clean(result.string("version"), MAX_ENGINE_WORD);
        long code = result.optionalLong("code").orElse(0);
        String platform = PrintableText.clean(result.optionalString("platform").orElse(""), MAX_ENGINE_WORD);
        return new EngineVersion(version, code, platform);
    }

    /**
     * Makes untrusted engine text safe for messages and logs (see {@link PrintableText}), cut at
     * {@link #MAX_ENGINE_TEXT} characters.
     */
    public static String clean(String text) {
        return PrintableText.clean(text, MAX_ENGINE_TEXT);
    }

    /** Decodes an error body leniently (it only ends up in a message) and cleans it. */
    public static String errorText(byte[] body) {
        return clean(new String(body, 0, Math.min(body.length, 4 * MAX_ENGINE_TEXT), StandardCharsets.UTF_8));
    }
}
