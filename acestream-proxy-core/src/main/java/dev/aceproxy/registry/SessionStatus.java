package dev.aceproxy.registry;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.EngineStats;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One session in a {@link RegistryStatus}.
 *
 * @param key the session's key
 * @param content the content played now
 * @param channel the channel's name when the session was started through a {@link Channel}
 * @param state the lifecycle state
 * @param infohash the engine session's infohash, once known
 * @param engine the base uri of the engine serving the session
 * @param statUri the engine session's stat url, once known
 * @param startedAt when the session was created
 * @param uptime time since {@code startedAt}
 * @param clients the connected clients
 * @param bytesIn MPEG-TS bytes read from the engine
 * @param bitrateBitsPerSecond the incoming bitrate, a moving average over a few seconds
 * @param reconnects upstream reconnects and new engine sessions so far
 * @param failovers moves to another alternate content so far
 * @param engineStats the latest statistics polled from the engine
 */
public record SessionStatus(String key, ContentId content, Optional<String> channel, SessionState state,
                            Optional<String> infohash, URI engine, Optional<URI> statUri, Instant startedAt,
                            Duration uptime, List<ClientStatus> clients, long bytesIn, long bitrateBitsPerSecond,
                            int reconnects, int failovers, Optional<EngineStats> engineStats) {

    /**
     * Validates and copies the client list.
     *
     * @throws NullPointerException if an object argument is null
     */
    public SessionStatus {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(infohash, "infohash");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(statUri, "statUri");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(uptime, "uptime");
        clients = List.copyOf(clients);
        Objects.requireNonNull(engineStats, "engineStats");
    }
}
