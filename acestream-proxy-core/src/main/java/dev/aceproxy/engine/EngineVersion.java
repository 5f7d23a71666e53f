package dev.aceproxy.engine;

import java.util.Objects;

/**
 * What the engine says about itself, as {@link AceEngineClient#probe()} returned it.
 *
 * @param version the engine's version text, for example {@code 3.1.70}
 * @param code the engine's numeric version, for example {@code 3017000}; 0 when it did not say
 * @param platform the engine's platform, for example {@code linux}; empty when it did not say
 */
public record EngineVersion(String version, long code, String platform) {

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code version} or {@code platform} is null
     */
    public EngineVersion {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(platform, "platform");
    }
}
