package dev.aceproxy.engine;

import java.net.URI;
import java.util.Objects;

/**
 * One session the engine started for a piece of content, as {@link AceEngineClient#startSession}
 * returned it. The urls have already been rewritten to the client's configured engine address.
 *
 * <p>The engine keeps one session per content: starting the same content again returns the same
 * session, and stopping it ends every reader of it.
 *
 * @param content the content the session plays
 * @param playbackUri the MPEG-TS stream; it serves one reader at a time
 * @param statUri the session's statistics
 * @param commandUri the session's command endpoint (used to stop it)
 * @param infohash the torrent infohash the engine resolved the content to
 * @param playbackSessionId the engine's id for this playback, empty if the engine gave none
 * @param live whether the content is a live stream ({@code is_live}); {@link EngineFlag#UNKNOWN} when
 *     the engine answered {@code -1} or left it out
 * @param encrypted whether the content is encrypted ({@code is_encrypted}); {@link EngineFlag#UNKNOWN}
 *     when the engine answered {@code -1} or left it out
 */
public record EngineSession(ContentId content, URI playbackUri, URI statUri, URI commandUri, String infohash,
                            String playbackSessionId, EngineFlag live, EngineFlag encrypted) {

    /**
     * Validates.
     *
     * @throws NullPointerException if any reference component is null
     */
    public EngineSession {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(playbackUri, "playbackUri");
        Objects.requireNonNull(statUri, "statUri");
        Objects.requireNonNull(commandUri, "commandUri");
        Objects.requireNonNull(infohash, "infohash");
        Objects.requireNonNull(playbackSessionId, "playbackSessionId");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(encrypted, "encrypted");
    }
}
