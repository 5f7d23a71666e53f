package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.WriteProfile;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the fake engine was built with.
 *
 * @param clip the looped clip
 * @param bitsPerSecond the playback rate, positive
 * @param prebufferDelay how long a content's download prebuffers from its first getstream
 * @param writeProfile how playbacks are cut into writes, and their burst
 * @param playbackRedirect whether playback urls answer 302 to another path
 * @param advertisedBase scheme, host and port put into returned urls, or null for the real address
 * @param version the get_version version text
 * @param versionCode the get_version code
 * @param sessionIdleTimeout how long an unread, unpolled session lives; zero for ever
 * @param unknownLiveFlags whether getstream answers {@code is_live} and {@code is_encrypted} as -1
 * @param closeDelimitedJson whether JSON answers go without {@code Content-Length}, delimited by the close
 */
public record EngineConfig(TsClip clip, long bitsPerSecond, Duration prebufferDelay, WriteProfile writeProfile,
                           boolean playbackRedirect, URI advertisedBase, String version, long versionCode,
                           Duration sessionIdleTimeout, boolean unknownLiveFlags, boolean closeDelimitedJson) {

    /**
     * Validates.
     *
     * @throws NullPointerException if a required component is null
     * @throws IllegalArgumentException if a number or duration is out of range
     */
    public EngineConfig {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(prebufferDelay, "prebufferDelay");
        Objects.requireNonNull(writeProfile, "writeProfile");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        if (bitsPerSecond <= 0 || prebufferDelay.isNegative() || sessionIdleTimeout.isNegative()) {
            throw new IllegalArgumentException("rates and durations must be positive or zero");
        }
    }
}
