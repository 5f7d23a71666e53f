package dev.aceproxy.registry.internal;

import dev.aceproxy.upstream.internal.UpstreamPump;
import dev.aceproxy.upstream.internal.Upstream;
import dev.aceproxy.engine.EngineSession;
import dev.aceproxy.registry.ClientStatus;
import dev.aceproxy.registry.SessionState;
import dev.aceproxy.registry.SessionStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Assembles one session's public {@link SessionStatus} from what its parts report: the engine
 * session of its {@link Upstream}, the counters of its {@link UpstreamPump} and the measurements
 * of its {@link SessionTick}. Reads only their volatile state; the session passes in what it
 * read under its lock.
 */
final class SessionStatusView {

    private final String key;
    private final Optional<String> channel;
    private final Instant startedAt;
    private final RegistrySettings settings;
    private final Upstream upstream;
    private final UpstreamPump pump;
    private final SessionTick tick;

    SessionStatusView(String key, Optional<String> channel, Instant startedAt, RegistrySettings settings,
            Upstream upstream, UpstreamPump pump, SessionTick tick) {
        this.key = key;
        this.channel = channel;
        this.startedAt = startedAt;
        this.settings = settings;
        this.upstream = upstream;
        this.pump = pump;
        this.tick = tick;
    }

    /**
     * The session's status now.
     *
     * @param state the session's state, read under its lock
     * @param clients its clients' statuses, from a copy taken under its lock
     */
    SessionStatus status(SessionState state, List<ClientStatus> clients) {
        EngineSession es = upstream.engineSession();
        EnginePool.Slot s = upstream.slot();
        URI engine = s != null ? s.client.baseUri() : settings.engines().get(0).baseUri();
        Instant now = settings.clock().instant();
        Duration uptime = Duration.between(startedAt, now);
        return new SessionStatus(key, upstream.content(), channel, state,
                Optional.ofNullable(es).map(EngineSession::infohash), engine,
                Optional.ofNullable(es).map(EngineSession::statUri), startedAt,
                uptime.isNegative() ? Duration.ZERO : uptime, clients, pump.bytesIn(), tick.bitrate(),
                pump.reconnects(), pump.failovers(), Optional.ofNullable(tick.lastStats()));
    }
}
