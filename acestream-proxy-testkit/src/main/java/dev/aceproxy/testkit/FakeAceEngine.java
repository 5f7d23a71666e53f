package dev.aceproxy.testkit;

import dev.aceproxy.testkit.internal.ContentInfohash;
import dev.aceproxy.testkit.internal.EngineConfig;
import dev.aceproxy.testkit.internal.EngineCounters;
import dev.aceproxy.testkit.internal.EngineServer;
import dev.aceproxy.testkit.internal.FaultScript;
import dev.aceproxy.testkit.internal.TsClip;
import dev.aceproxy.testkit.internal.Workers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A fake AceStream engine: a real HTTP server on {@code 127.0.0.1} (a free port) that answers the
 * engine's API (getstream in its JSON and redirect forms, playback, stat, stop, get_version,
 * get_status), streams a looped MPEG-TS clip as an endless live stream at a steady rate, enforces
 * the engine's one-reader-per-session rule, and plays scripted faults. Counters tell a test what
 * the code under test did.
 *
 * <pre>{@code
 * try (FakeAceEngine engine = FakeAceEngine.start()) {
 *     URI engineUri = engine.baseUri();   // give this to the code under test
 *     engine.cutPlaybacks();              // script faults while it runs
 *     assertThat(engine.playbackOpens()).isEqualTo(2);
 * }
 * }</pre>
 *
 * <p>One engine session per content: a getstream for content that already has a session answers
 * that session's urls. A content id's infohash is {@link #infohashOf(String)}; an {@code infohash=}
 * request uses the infohash itself. Every thread the engine starts is a virtual thread named
 * {@value #THREAD_NAME_PREFIX}{@code ...}, and {@link #close()} ends them all. Thread-safe.
 */
public final class FakeAceEngine implements AutoCloseable {

    /** Prefix of the name of every thread the engine starts. */
    public static final String THREAD_NAME_PREFIX = Workers.THREAD_NAME_PREFIX;
    /** The get_version version by default. */
    public static final String DEFAULT_VERSION = "3.1.70";
    /** The classpath resource of the bundled clip. */
    public static final String CLIP_RESOURCE = "/dev/aceproxy/testkit/clip.ts";

    private final EngineServer server;
    private final EngineCounters counters;
    private final FaultScript faults;
    private final long bitsPerSecond;

    private FakeAceEngine(EngineServer server, EngineCounters counters, FaultScript faults, long bitsPerSecond) {
        this.server = server;
        this.counters = counters;
        this.faults = faults;
        this.bitsPerSecond = bitsPerSecond;
    }

    /**
     * Starts an engine with every default: the bundled clip at its own rate, no delays, no faults.
     *
     * @return the running engine
     * @throws IOException if no loopback port can be bound
     */
    public static FakeAceEngine start() throws IOException {
        return builder().start();
    }

    /**
     * Returns a builder with every option at its default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The infohash the fake engine gives a content id: the SHA-1 of the id's lower-case text, in hex.
     *
     * @param contentId a content id, 40 hexadecimal characters
     * @return 40 lower-case hexadecimal characters
     * @throws NullPointerException if {@code contentId} is null
     */
    public static String infohashOf(String contentId) {
        return ContentInfohash.of(Objects.requireNonNull(contentId, "contentId"));
    }

    /**
     * Returns the bytes of the bundled clip: 10 s of H.264 and AAC in MPEG-TS, about 1.7 Mbit/s.
     *
     * @return a fresh copy
     * @throws UncheckedIOException if the resource cannot be read
     */
    public static byte[] bundledClip() {
        return BundledClip.BYTES.clone();
    }

    /**
     * Returns where the engine listens.
     *
     * @return {@code http://127.0.0.1:<port>}, the same across restarts
     */
    public URI baseUri() {
        return server.baseUri();
    }

    /**
     * Returns the port the engine listens on.
     *
     * @return the port, the same across restarts
     */
    public int port() {
        return server.port();
    }

    /**
     * Returns the rate playbacks are paced at: the configured bitrate, or the clip's own.
     *
     * @return bits per second
     */
    public long bitsPerSecond() {
        return bitsPerSecond;
    }

    /**
     * Tells whether the engine accepts connections now.
     *
     * @return false while a {@link #restart(Duration)} keeps it down and after {@link #close()}
     */
    public boolean isListening() {
        return server.isListening();
    }

    /**
     * Makes every getstream call misbehave until {@link #clearFaults()} or another getstream fault.
     *
     * @param fault the misbehaviour
     * @throws NullPointerException if {@code fault} is null
     */
    public void getstreamFault(GetstreamFault fault) {
        faults.getstreamFault(Objects.requireNonNull(fault, "fault"), -1);
    }

    /**
     * Makes the next {@code times} getstream calls misbehave; later calls behave.
     *
     * @param fault the misbehaviour
     * @param times how many calls, at least 1
     * @throws NullPointerException if {@code fault} is null
     * @throws IllegalArgumentException if {@code times} is less than 1
     */
    public void getstreamFault(GetstreamFault fault, int times) {
        Objects.requireNonNull(fault, "fault");
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
        faults.getstreamFault(fault, times);
    }

    /**
     * Makes getstream for this content (content id or infohash, any case) answer the engine error
     * {@code "failed to load content"}, until {@link #clearFaults()}.
     *
     * @param contentHex the content id or infohash as requested
     * @throws NullPointerException if {@code contentHex} is null
     */
    public void markUnavailable(String contentHex) {
        faults.markUnavailable(Objects.requireNonNull(contentHex, "contentHex"));
    }

    /** Resets every playback connection that is streaming now (the reader sees a reset, not EOF). */
    public void cutPlaybacks() {
        server.cutPlaybacks();
    }

    /**
     * Keeps every playback connection (current and new) open and silent for {@code duration}, from
     * now; afterwards pacing resumes without a catch-up burst. Meanwhile the stat url says
     * {@code buf}, as an engine starved of peers does. A zero duration ends a stall.
     *
     * @param duration how long
     * @throws NullPointerException if {@code duration} is null
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void stallPlaybacks(Duration duration) {
        requireNotNegative(duration, "duration");
        faults.stallPlaybacks(duration);
    }

    /**
     * Makes each playback connection end cleanly (EOF) once it has sent {@code bytes} bytes,
     * counted from its first body byte; connections past that end at once.
     *
     * @param bytes the limit, or -1 to clear it
     * @throws IllegalArgumentException if {@code bytes} is less than -1
     */
    public void endPlaybacksAfter(long bytes) {
        if (bytes < -1) {
            throw new IllegalArgumentException("bytes must be -1 or more: " + bytes);
        }
        faults.endPlaybacksAfter(bytes);
    }

    /**
     * Makes the next {@code count} playback opens answer {@code 200} and end at once, as an engine
     * still warming up does. These opens do not take the session's reader slot.
     *
     * @param count how many, 0 to clear
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public void warmUpEmptyPlaybacks(int count) {
        requireNotNegative(count, "count");
        faults.warmUpEmptyPlaybacks(count);
    }

    /**
     * Makes the next {@code count} playback opens answer {@code 500 text/plain "start timeout"}, as
     * an engine that could not prebuffer in time does.
     *
     * @param count how many, 0 to clear
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public void failPlaybackStarts(int count) {
        requireNotNegative(count, "count");
        faults.failPlaybackStarts(count);
    }

    /**
     * Simulates an engine restart: closes the listening socket at once (connections are refused),
     * resets every open connection, forgets every session, and listens again on the same port
     * {@code downFor} later. Returns as soon as the engine is down; scripted faults and counters
     * are kept.
     *
     * @param downFor how long connections are refused
     * @throws NullPointerException if {@code downFor} is null
     * @throws IllegalArgumentException if {@code downFor} is negative
     * @throws IllegalStateException if the engine is closed or still down from an earlier restart
     */
    public void restart(Duration downFor) {
        requireNotNegative(downFor, "downFor");
        server.restart(downFor);
    }

    /**
     * Makes stop commands hang: they get no answer while this is on; when it is turned off (or
     * faults are cleared) the held commands' connections close without an answer and the sessions
     * stay alive.
     *
     * @param hang whether stop commands hang
     */
    public void hangStop(boolean hang) {
        faults.hangStop(hang);
    }

    /**
     * Makes stat urls answer {@code 200 text/html} with a body that is not JSON.
     *
     * @param garbage whether stat answers garbage
     */
    public void statFault(boolean garbage) {
        faults.statFault(garbage);
    }

    /**
     * Clears every scripted fault, including unavailable content, and releases every held request
     * (their connections close without an answer).
     */
    public void clearFaults() {
        faults.clearAll();
    }

    /**
     * Counts getstream requests, answered or not.
     *
     * @return the count
     */
    public int getstreamCalls() {
        return counters.getstreamCalls();
    }

    /**
     * Counts requests that reached the stream of a live session: streams, second readers and
     * scripted empty or failed starts; a playback redirect hop is not counted.
     *
     * @return the count
     */
    public int playbackOpens() {
        return counters.playbackOpens();
    }

    /**
     * Counts playback requests refused with a broken answer because the session had a reader.
     *
     * @return the count
     */
    public int secondReaderAttempts() {
        return counters.secondReaderAttempts();
    }

    /**
     * Counts stop commands, answered or not.
     *
     * @return the count
     */
    public int stopCalls() {
        return counters.stopCalls();
    }

    /**
     * Counts stat requests.
     *
     * @return the count
     */
    public int statCalls() {
        return counters.statCalls();
    }

    /**
     * Counts get_version requests.
     *
     * @return the count
     */
    public int versionCalls() {
        return counters.versionCalls();
    }

    /**
     * Counts get_status requests.
     *
     * @return the count
     */
    public int statusCalls() {
        return counters.statusCalls();
    }

    /**
     * Counts engine sessions started by getstream calls. Every one of them should end in a stop
     * command or be forgotten by the engine: {@code sessionsStarted() == sessionsStopped() +
     * sessionsForgotten()} once the code under test has let go of the engine.
     *
     * @return sessions started so far
     */
    public int sessionsStarted() {
        return counters.sessionsStarted();
    }

    /**
     * Counts engine sessions ended by a stop command (a stop of an unknown session is not counted).
     *
     * @return sessions stopped so far
     */
    public int sessionsStopped() {
        return counters.sessionsStopped();
    }

    /**
     * Counts engine sessions the engine ended by itself: idle expiry, a {@link #restart(Duration)},
     * or {@link #close()}.
     *
     * @return sessions forgotten so far
     */
    public int sessionsForgotten() {
        return counters.sessionsForgotten();
    }

    /**
     * Counts engine sessions started and not stopped, expired or forgotten by a restart.
     *
     * @return the count
     */
    public int openSessions() {
        return server.openSessions();
    }

    /**
     * Counts playback responses streaming now.
     *
     * @return the count
     */
    public int openPlaybackConnections() {
        return server.openPlaybackConnections();
    }

    /**
     * Counts MPEG-TS bytes written to playback connections.
     *
     * @return the count
     */
    public long bytesSent() {
        return counters.bytesSent();
    }

    /**
     * Stops listening, resets every connection (hanging requests and stalled playbacks included)
     * and ends every thread the engine started; returns within a few seconds at most. Idempotent.
     */
    @Override
    public void close() {
        server.close();
    }

    private static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + duration);
        }
    }

    private static void requireNotNegative(long value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    /** Lazily loaded bytes of the bundled clip. */
    private static final class BundledClip {
        static final byte[] BYTES = load();

        private static byte[] load() {
            try (InputStream in = FakeAceEngine.class.getResourceAsStream(CLIP_RESOURCE)) {
                if (in == null) {
                    throw new UncheckedIOException(new IOException("missing resource " + CLIP_RESOURCE));
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Configures a {@link FakeAceEngine}. Not thread-safe; each {@link #start()} starts a new engine.
     */
    public static final class Builder {

        private byte[] clip;
        private long bitrate;
        private Duration prebufferDelay = Duration.ZERO;
        private long initialBurst;
        private boolean playbackRedirect;
        private URI advertisedBaseUri;
        private String version = DEFAULT_VERSION;
        private long versionCode = versionCode(DEFAULT_VERSION);
        private Duration sessionIdleTimeout = Duration.ZERO;

        private Builder() {
        }

        /**
         * Sets the MPEG-TS clip playbacks loop. Default: the bundled clip ({@link #bundledClip()}).
         *
         * @param mpegTs whole 188-byte packets, each starting with {@code 0x47}; copied
         * @return this builder
         * @throws NullPointerException if {@code mpegTs} is null
         * @throws IllegalArgumentException if it is empty or not whole sync-aligned packets
         */
        public Builder clip(byte[] mpegTs) {
            byte[] copy = Objects.requireNonNull(mpegTs, "mpegTs").clone();
            TsClip.checkPackets(copy);
            this.clip = copy;
            return this;
        }

        /**
         * Sets the playback rate. Default 0: the clip's own rate, from its PCRs.
         *
         * @param bitsPerSecond the rate, or 0 for the clip's own
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder bitrate(long bitsPerSecond) {
            requireNotNegative(bitsPerSecond, "bitsPerSecond");
            this.bitrate = bitsPerSecond;
            return this;
        }

        /**
         * Sets how long a session's first playback waits before it answers (the engine
         * prebuffering); later playbacks of the session answer at once. Default zero.
         *
         * @param delay the delay
         * @return this builder
         * @throws NullPointerException if {@code delay} is null
         * @throws IllegalArgumentException if negative
         */
        public Builder prebufferDelay(Duration delay) {
            requireNotNegative(delay, "delay");
            this.prebufferDelay = delay;
            return this;
        }

        /**
         * Sets how many bytes each playback connection sends unpaced before pacing begins. Default 0.
         *
         * @param bytes the burst size
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder initialBurst(long bytes) {
            requireNotNegative(bytes, "bytes");
            this.initialBurst = bytes;
            return this;
        }

        /**
         * Makes playback urls answer {@code 302} to another path on the same engine, which streams.
         * Default off.
         *
         * @param on whether to redirect
         * @return this builder
         */
        public Builder playbackRedirect(boolean on) {
            this.playbackRedirect = on;
            return this;
        }

        /**
         * Sets the scheme, host and port put into the urls getstream returns, as an engine reached
         * through another address does. Default: the engine's real address.
         *
         * @param uri an {@code http} uri with a host and no path beyond {@code /}
         * @return this builder
         * @throws NullPointerException if {@code uri} is null
         * @throws IllegalArgumentException if it is not such a uri
         */
        public Builder advertisedBaseUri(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String path = uri.getRawPath();
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
                    || (path != null && !path.isEmpty() && !path.equals("/"))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("need http://host[:port], got " + uri);
            }
            this.advertisedBaseUri = uri;
            return this;
        }

        /**
         * Sets the version get_version answers; its code is derived as major·1000000 + minor·10000
         * + patch·100 (so {@code "3.1.70"} gives {@code 3017000}), or 0 when the text is not numeric.
         * Default {@value FakeAceEngine#DEFAULT_VERSION}.
         *
         * @param version the version text
         * @return this builder
         * @throws NullPointerException if {@code version} is null
         * @throws IllegalArgumentException if it is blank
         */
        public Builder version(String version) {
            return version(version, versionCode(Objects.requireNonNull(version, "version")));
        }

        /**
         * Sets the version and code get_version answers.
         *
         * @param version the version text
         * @param code the version code
         * @return this builder
         * @throws NullPointerException if {@code version} is null
         * @throws IllegalArgumentException if it is blank or the code is negative
         */
        public Builder version(String version, long code) {
            Objects.requireNonNull(version, "version");
            if (version.isBlank()) {
                throw new IllegalArgumentException("version must not be blank");
            }
            requireNotNegative(code, "code");
            this.version = version;
            this.versionCode = code;
            return this;
        }

        /**
         * Sets how long a session with no reader and no stat poll lives before the engine forgets
         * it (then its urls answer as unknown). Default zero: sessions live until stopped.
         *
         * @param timeout the idle timeout, or zero for never
         * @return this builder
         * @throws NullPointerException if {@code timeout} is null
         * @throws IllegalArgumentException if negative
         */
        public Builder sessionIdleTimeout(Duration timeout) {
            requireNotNegative(timeout, "timeout");
            this.sessionIdleTimeout = timeout;
            return this;
        }

        /**
         * Starts an engine with this configuration on a free loopback port.
         *
         * @return the running engine
         * @throws IOException if no port can be bound
         * @throws IllegalArgumentException if the clip has no PCRs and no bitrate is set
         * @throws UncheckedIOException if the bundled clip cannot be read
         */
        public FakeAceEngine start() throws IOException {
            TsClip indexed = TsClip.index(clip != null ? clip : BundledClip.BYTES, bitrate);
            long rate = bitrate > 0 ? bitrate : indexed.bitsPerSecond();
            EngineConfig config = new EngineConfig(indexed, rate, prebufferDelay, initialBurst, playbackRedirect,
                    advertisedBaseUri, version, versionCode, sessionIdleTimeout);
            EngineCounters counters = new EngineCounters();
            FaultScript faults = new FaultScript();
            return new FakeAceEngine(EngineServer.start(config, counters, faults), counters, faults, rate);
        }

        private static long versionCode(String version) {
            String[] parts = version.split("\\.");
            long[] weights = {1_000_000, 10_000, 100};
            long code = 0;
            for (int i = 0; i < Math.min(parts.length, weights.length); i++) {
                try {
                    code += Long.parseLong(parts[i]) * weights[i];
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
            return code;
        }
    }
}
