package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.registry.EnginePoolPolicy;
import dev.aceproxy.registry.Limits;
import dev.aceproxy.registry.RetryPolicy;
import dev.aceproxy.registry.SessionPolicy;
import dev.aceproxy.registry.StreamListener;
import dev.aceproxy.ts.FastStartPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link dev.aceproxy.registry.StreamRegistry} was built with.
 *
 * @param engines the engine pool, at least one
 * @param session session timings
 * @param retry the recovery ladder's retry policy
 * @param player each client's queue policy
 * @param fastStart the fast-start policy
 * @param coalesce how small upstream chunks are gathered
 * @param limits capacity limits
 * @param pool engine probing
 * @param listener the listener
 * @param clock timestamps and the stable period
 */
public record RegistrySettings(List<AceEngineClient> engines, SessionPolicy session, RetryPolicy retry,
                               PlayerPolicy player, FastStartPolicy fastStart, CoalescePolicy coalesce, Limits limits, EnginePoolPolicy pool,
                               StreamListener listener, Clock clock) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if there is no engine
     */
    public RegistrySettings {
        engines = List.copyOf(engines);
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("at least one engine is needed");
        }
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(player, "player");
        Objects.requireNonNull(fastStart, "fastStart");
        Objects.requireNonNull(coalesce, "coalesce");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
    }
}
