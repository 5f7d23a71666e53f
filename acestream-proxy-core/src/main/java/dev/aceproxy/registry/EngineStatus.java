package dev.aceproxy.registry;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One engine of the pool in a {@link RegistryStatus}.
 *
 * @param baseUri the engine's address
 * @param healthy whether it takes new sessions
 * @param version the version from its last successful probe
 * @param sessions registry sessions it serves now
 * @param consecutiveFailures failed probes in a row
 */
public record EngineStatus(URI baseUri, boolean healthy, Optional<String> version, int sessions,
                           int consecutiveFailures) {

    /**
     * Validates.
     *
     * @throws NullPointerException if an object argument is null
     */
    public EngineStatus {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(version, "version");
    }
}
