package dev.aceproxy.registry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of the registry ({@link StreamRegistry#status()}).
 *
 * @param at when it was taken (from the registry's clock)
 * @param sessions every session that is not stopped or failed
 * @param engines every engine of the pool
 * @param totals registry-wide figures
 */
public record RegistryStatus(Instant at, List<SessionStatus> sessions, List<EngineStatus> engines, Totals totals) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if an argument is null
     */
    public RegistryStatus {
        Objects.requireNonNull(at, "at");
        sessions = List.copyOf(sessions);
        engines = List.copyOf(engines);
        Objects.requireNonNull(totals, "totals");
    }
}
