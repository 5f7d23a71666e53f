package dev.aceproxy.server;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.jetty.AceProxyHttpServer;
import dev.aceproxy.registry.Limits;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the reference server needs to start, after flags, environment and defaults have been
 * merged. {@link #toString()} never shows the access token.
 *
 * @param listen where to accept players
 * @param engines the engine pool, at least one base url
 * @param linger how long an engine session outlives its last client ({@code 0} stops at once)
 * @param startTimeout how long a new session may take to deliver its first data
 * @param noDataTimeout how long the engine's stream may stall before the session recovers
 * @param getstreamTimeout how long the engine may take to answer a getstream call
 * @param queueBytes the most bytes queued for one client before the overflow policy applies
 * @param overflow what happens to a client that falls that far behind
 * @param maxStreams the most engine sessions at once, {@code 0} for no limit
 * @param maxClients the most clients at once over all sessions, {@code 0} for no limit
 * @param maxClientsPerStream the most clients of one session, {@code 0} for no limit
 * @param accessToken the player token: streams need it, if set ({@code --access-token})
 * @param demo whether to start the built-in fake engine and use it as the only engine
 * @param probe a content to check against the engine instead of serving, if any
 * @param probeDuration how long {@code --probe} reads the stream
 * @param probeReport where {@code --probe} writes its JSON report of what the engine does
 *     ({@code --probe-report}), if anywhere; only with {@code probe}
 * @param adminToken the token status and metrics need ({@code --admin-token}); when absent they
 *     need the access token
 * @param allowedHosts host names that requests may address besides loopback and the addresses
 *     the server listens on ({@code --allowed-hosts}); only checked where no token is required
 * @param maxConnections the most open connections, {@code 0} for no limit
 * @param maxConnectionsPerAddress the most open connections from one address, {@code 0} for no
 *     limit
 * @param drainTimeout how long a SIGTERM first drains (no new session, current players go on)
 *     before the server stops; {@code 0} stops at once
 * @param maxStreamsPerEngine the most sessions one engine serves at once, {@code 0} for no limit
 * @param maxNewStreamsPerAddress the most new sessions one client address starts within a minute,
 *     {@code 0} for no limit
 * @param hlsSegmentDuration the HLS target segment duration ({@code --hls-segment-duration})
 * @param hlsWindow the HLS playlist's window in segments ({@code --hls-window})
 * @param lineup the playlists, channels and public url ({@code --playlist}, {@code --channel},
 *     {@code --channels-file}, {@code --playlist-refresh}, {@code --public-url})
 */
public record ServerSettings(ListenAddress listen, List<URI> engines, Duration linger, Duration startTimeout,
                             Duration noDataTimeout, Duration getstreamTimeout, long queueBytes, Overflow overflow,
                             int maxStreams, int maxClients, int maxClientsPerStream, Optional<String> accessToken,
                             boolean demo, Optional<ContentId> probe, Duration probeDuration,
                             Optional<Path> probeReport, Optional<String> adminToken,
                             List<String> allowedHosts, int maxConnections, int maxConnectionsPerAddress,
                             Duration drainTimeout, int maxStreamsPerEngine, int maxNewStreamsPerAddress,
                             Duration hlsSegmentDuration, int hlsWindow, LineupSettings lineup) {

    /** The default engine: a local AceStream engine on its usual port. */
    public static final URI DEFAULT_ENGINE = URI.create("http://127.0.0.1:6878");
    /** Default linger after the last client leaves, so quick channel switches reuse the session. */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(10);
    /** Default time a cold session may take to its first byte (engines often need 10–25 s). */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
    /** Default stall before the session reconnects to the engine. */
    public static final Duration DEFAULT_NO_DATA_TIMEOUT = Duration.ofSeconds(15);
    /** Default time the engine may take to answer a getstream call. */
    public static final Duration DEFAULT_GETSTREAM_TIMEOUT = Duration.ofSeconds(10);
    /** Default per-client queue: 4 MiB, about 20 s of a 1.7 Mbit/s stream. */
    public static final long DEFAULT_QUEUE_BYTES = 4L << 20;
    /** The smallest per-client queue accepted: below it even a healthy client would overflow. */
    public static final long MIN_QUEUE_BYTES = 16L << 10;
    /** Default bound on engine sessions at once: a home proxy rarely plays more than a few. */
    public static final int DEFAULT_MAX_STREAMS = Limits.DEFAULT_MAX_SESSIONS;
    /** Default bound on players at once, over all streams. */
    public static final int DEFAULT_MAX_CLIENTS = Limits.DEFAULT_MAX_CLIENTS;
    /** Default time {@code --probe} reads the stream. */
    public static final Duration DEFAULT_PROBE_DURATION = Duration.ofSeconds(10);
    /** Default drain on SIGTERM: none, the server stops at once as it always did. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ZERO;

    /** What happens to a client whose queue is full. */
    public enum Overflow {
        /** Disconnect the client; its player reconnects at the live edge. */
        DISCONNECT,
        /** Drop what the client has not read yet and resume at the next keyframe. */
        SKIP;

        /**
         * Returns the flag value for this policy.
         *
         * @return {@code disconnect} or {@code skip}
         */
        public String flagValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Validates the merged settings.
     *
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if the engine list is empty, a duration is negative, a
     *     timeout is zero, the queue is below {@link #MIN_QUEUE_BYTES}, a limit is negative, or a
     *     probe report is asked for without a probe
     */
    public ServerSettings {
        Objects.requireNonNull(listen, "listen");
        engines = List.copyOf(engines);
        Objects.requireNonNull(linger, "linger");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(noDataTimeout, "noDataTimeout");
        Objects.requireNonNull(getstreamTimeout, "getstreamTimeout");
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(probeDuration, "probeDuration");
        Objects.requireNonNull(probeReport, "probeReport");
        Objects.requireNonNull(adminToken, "adminToken");
        allowedHosts = List.copyOf(allowedHosts);
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(hlsSegmentDuration, "hlsSegmentDuration");
        Objects.requireNonNull(lineup, "lineup");
        // Validated as HlsPolicy validates them, with its messages.
        HlsPolicy.DEFAULT.withTargetDuration(hlsSegmentDuration).withWindowSegments(hlsWindow);
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative");
        }
        if (probeReport.isPresent() && probe.isEmpty()) {
            throw new IllegalArgumentException("probeReport needs probe");
        }
        if (engines.isEmpty()) {
            throw new IllegalArgumentException("at least one engine is required");
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative");
        }
        requirePositive(startTimeout, "startTimeout");
        requirePositive(noDataTimeout, "noDataTimeout");
        requirePositive(getstreamTimeout, "getstreamTimeout");
        requirePositive(probeDuration, "probeDuration");
        if (queueBytes < MIN_QUEUE_BYTES) {
            throw new IllegalArgumentException("queueBytes must be at least " + MIN_QUEUE_BYTES);
        }
        if (maxStreams < 0 || maxClients < 0 || maxClientsPerStream < 0 || maxConnections < 0
                || maxConnectionsPerAddress < 0 || maxStreamsPerEngine < 0 || maxNewStreamsPerAddress < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    /**
     * Returns the settings with every default and nothing else.
     *
     * @return the defaults
     */
    public static ServerSettings defaults() {
        return new ServerSettings(ListenAddress.DEFAULT, List.of(DEFAULT_ENGINE), DEFAULT_LINGER,
                DEFAULT_START_TIMEOUT, DEFAULT_NO_DATA_TIMEOUT, DEFAULT_GETSTREAM_TIMEOUT, DEFAULT_QUEUE_BYTES,
                Overflow.DISCONNECT, DEFAULT_MAX_STREAMS, DEFAULT_MAX_CLIENTS, 0, Optional.empty(), false, Optional.empty(),
                DEFAULT_PROBE_DURATION, Optional.empty(), Optional.empty(), List.of(),
                AceProxyHttpServer.DEFAULT_MAX_CONNECTIONS, AceProxyHttpServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                DEFAULT_DRAIN_TIMEOUT, Limits.DEFAULT_MAX_SESSIONS_PER_ENGINE, Limits.DEFAULT_MAX_NEW_SESSIONS_PER_ADDRESS,
                HlsPolicy.DEFAULT_TARGET_DURATION, HlsPolicy.DEFAULT_WINDOW_SEGMENTS, LineupSettings.NONE);
    }

    /**
     * Describes the effective settings in one line for the start-up log; the tokens only show as
     * {@code set} or {@code none}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "listen=" + listen
                + " engines=" + (demo ? "[demo]" : engines)
                + " linger=" + GoDuration.format(linger)
                + " start-timeout=" + GoDuration.format(startTimeout)
                + " no-data-timeout=" + GoDuration.format(noDataTimeout)
                + " getstream-timeout=" + GoDuration.format(getstreamTimeout)
                + " queue-bytes=" + ByteSize.format(queueBytes)
                + " overflow=" + overflow.flagValue()
                + " max-streams=" + limit(maxStreams)
                + " max-clients=" + limit(maxClients)
                + " max-clients-per-stream=" + limit(maxClientsPerStream)
                + " max-streams-per-engine=" + limit(maxStreamsPerEngine)
                + " max-new-streams-per-address=" + limit(maxNewStreamsPerAddress)
                + " max-connections=" + limit(maxConnections)
                + " max-connections-per-address=" + limit(maxConnectionsPerAddress)
                + " access-token=" + (accessToken.isPresent() ? "set" : "none")
                + " admin-token=" + (adminToken.isPresent() ? "set" : accessToken.isPresent() ? "access-token" : "none")
                + (allowedHosts.isEmpty() ? "" : " allowed-hosts=" + String.join(",", allowedHosts))
                + " drain-timeout=" + GoDuration.format(drainTimeout)
                + " hls-segment-duration=" + GoDuration.format(hlsSegmentDuration)
                + " hls-window=" + hlsWindow
                + lineup
                + (demo ? " demo=on" : "")
                + probe.map(p -> " probe=" + p.hex() + " probe-duration=" + GoDuration.format(probeDuration)).orElse("")
                + probeReport.map(f -> " probe-report=" + f).orElse("");
    }

    private static String limit(int value) {
        return value == 0 ? "unlimited" : Integer.toString(value);
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
