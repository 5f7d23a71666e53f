package dev.aceproxy.server.probe;

import dev.aceproxy.internal.json.JsonObject;
import dev.aceproxy.internal.json.JsonParseException;
import dev.aceproxy.internal.json.JsonReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a getstream answer says, once parsed: the session's urls moved onto the configured engine
 * address (the engine may advertise a container's address), its ids and flags as sent.
 *
 * @param pid the player id the call was made with
 * @param playback the playback url, on the configured engine
 * @param stat the stat url, on the configured engine
 * @param command the command url, on the configured engine
 * @param advertisedPlayback the playback url as the engine wrote it
 * @param infohash the infohash, as sent
 * @param playbackSessionId the playback session id, or empty
 */
record SessionAnswer(String pid, URI playback, URI stat, URI command, String advertisedPlayback, String infohash,
                     String playbackSessionId) {

    /**
     * Reads a getstream answer's body.
     *
     * @throws IllegalArgumentException with a message for the report when the body is not a
     *     usable getstream answer: not JSON, an engine error, a missing field, a url off {@code /ace/}
     */
    static SessionAnswer parse(String pid, RecordedBody body, URI engine) {
        try {
            JsonObject answer = JsonReader.parseObject(new String(body.bytes(), StandardCharsets.UTF_8));
            Object error = answer.value("error").orElse(null);
            if (error instanceof String text) {
                throw new IllegalArgumentException("the engine answered with the error \"" + text + "\"");
            }
            if (error instanceof Map<?, ?>) {
                throw new IllegalArgumentException("the engine answered with the error " + error);
            }
            JsonObject response = answer.object("response");
            String playback = response.string("playback_url");
            return new SessionAnswer(pid, onEngine(engine, playback), onEngine(engine, response.string("stat_url")),
                    onEngine(engine, response.string("command_url")), playback, response.string("infohash"),
                    response.optionalString("playback_session_id").orElse(""));
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("the answer is not a getstream answer: " + e.getMessage(), e);
        }
    }

    /** The advertised url's path and query on the configured engine; only paths under {@code /ace/}. */
    private static URI onEngine(URI engine, String advertised) {
        URI uri;
        try {
            uri = new URI(advertised);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the url " + advertised + " cannot be parsed", e);
        }
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/ace/") || path.contains("/../")) {
            throw new IllegalArgumentException("the url " + advertised + " is not under /ace/ on the engine");
        }
        return URI.create(engine.getScheme() + "://" + engine.getRawAuthority() + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    /** The parsed facts for the report. */
    Map<String, Object> toReport() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pid", pid);
        out.put("advertised_playback_url", advertisedPlayback);
        out.put("playback_url", playback.toString());
        out.put("stat_url", stat.toString());
        out.put("command_url", command.toString());
        out.put("infohash", infohash);
        out.put("playback_session_id", playbackSessionId);
        return out;
    }
}
