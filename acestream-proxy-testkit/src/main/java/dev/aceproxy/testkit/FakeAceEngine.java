package dev.aceproxy.testkit;

import dev.aceproxy.testkit.internal.ContentInfohash;
import dev.aceproxy.testkit.internal.EngineConfig;
import dev.aceproxy.testkit.internal.EngineCounters;
import dev.aceproxy.testkit.internal.EngineServer;
import dev.aceproxy.testkit.internal.EventLog;
import dev.aceproxy.testkit.internal.FaultScript;
import dev.aceproxy.testkit.internal.TsClip;
import dev.aceproxy.testkit.internal.Workers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

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
 * <p>By default it behaves as the real engine does, quirks included: playbacks come in ragged
 * writes of any size after a 1 MiB burst ({@link WriteProfile#DEFAULT}); a {@code 302} and error
 * answers carry no {@code Content-Length} and the connection closes after them.
 *
 * <p>Sessions are per (content, pid): the same pid asked again for the same content gets the same
 * urls; a new pid gets new urls (a new key and {@code playback_session_id}) over the content's one
 * shared download, and a stop of any session of a content cuts every reader of that content. A
 * getstream without {@code pid} is one fixed pid. A content id's infohash is {@link
 * #infohashOf(String)}; an {@code infohash=} request uses the infohash itself.
 *
 * <p>Session accounting: every session started should end by a stop command or be forgotten by the
 * engine (idle expiry, restart, close), so a test asserts that {@link #sessionsOutstanding()} is 0
 * once the code under test has let go of the engine; a client that asks with a fresh pid each time
 * and stops every session it asked for also keeps {@code getstreamCalls() == stopCalls() +
 * sessionsForgotten()}.
 *
 * <p>What happens is also told, in order, on a bounded event queue ({@link #takeEvent(Duration)},
 * {@link #awaitEvent(EngineEvent.Kind, Duration)}), so tests wait for what happened instead of
 * sleeping. Every thread the engine starts is a virtual thread named {@value
 * #THREAD_NAME_PREFIX}{@code ...}, and {@link #close()} ends them all. Thread-safe.
 */
public final class FakeAceEngine implements AutoCloseable {

    /** Prefix of the name of every thread the engine starts. */
    public static final String THREAD_NAME_PREFIX = Workers.THREAD_NAME_PREFIX;
    /** The get_version version by default. */
    public static final String DEFAULT_VERSION = "3.1.70";
    /** The classpath resource of the bundled clip. */
    public static final String CLIP_RESOURCE = "/dev/aceproxy/testkit/clip.ts";
    /** How many events the event queue keeps; when full, the oldest event is dropped for a new one. */
    public static final int EVENT_QUEUE_CAPACITY = 10_000;

    private final EngineServer server;
    private final EngineCounters counters;
    private final FaultScript faults;
    private final EventLog events;
    private final long bitsPerSecond;
    private final WriteProfile writeProfile;

    private FakeAceEngine(EngineServer server, EngineCounters counters, FaultScript faults, EventLog events,
                          long bitsPerSecond, WriteProfile writeProfile) {
        this.server = server;
        this.counters = counters;
        this.faults = faults;
        this.events = events;
        this.bitsPerSecond = bitsPerSecond;
        this.writeProfile = writeProfile;
    }

    /**
     * Starts an engine with every default: the bundled clip at its own rate, ragged writes after a
     * 1 MiB burst ({@link WriteProfile#DEFAULT}), no prebuffer delay, no faults.
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
     * Returns how playbacks are cut into writes: the builder's profile, with the burst {@link
     * Builder#initialBurst(long)} set if it was called.
     *
     * @return the write profile
     */
    public WriteProfile writeProfile() {
        return writeProfile;
    }

    /**
     * Tells whether the engine accepts connections now.
     *
     * @return false while a {@link RestartMode#REFUSE_CONNECTIONS} restart keeps it down, and after
     *     {@link #close()}; true during a {@link RestartMode#ANSWER_503} restart
     */
    public boolean isListening() {
        return server.isListening();
    }

    /**
     * Tells whether a {@link #restart(Duration, RestartMode)} is under way.
     *
     * @return true from the restart's call until the engine answers normally again
     */
    public boolean isRestarting() {
        return server.isRestarting();
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
     * now; afterwards pacing resumes without a catch-up burst. Meanwhile the stat url says {@code
     * buf} (the engine is buffering), then {@code dl} again. A zero duration ends a stall.
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
     * Makes the next {@code count} playback opens answer {@code 200 video/mp2t} and end at once (EOF
     * before any body byte), as an engine still warming up does, even while prebuffering. Each
     * counts in {@link #playbackOpens()} and is told as {@link EngineEvent.Kind#PLAYBACK_OPENED},
     * {@code PLAYBACK_HEADERS_SENT} and {@code PLAYBACK_CLOSED}; none takes the session's reader slot.
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
     * Simulates an engine restart that refuses connections: the same as {@code restart(downFor,
     * RestartMode.REFUSE_CONNECTIONS)}.
     *
     * @param downFor how long connections are refused
     * @throws NullPointerException if {@code downFor} is null
     * @throws IllegalArgumentException if {@code downFor} is negative
     * @throws IllegalStateException if the engine is closed, still down from an earlier restart or has exited
     */
    public void restart(Duration downFor) {
        restart(downFor, RestartMode.REFUSE_CONNECTIONS);
    }

    /**
     * Simulates an engine restart: resets every open connection, forgets every session (each counts
     * in {@link #sessionsForgotten()}), and for {@code downFor} either refuses connections (the
     * listening socket is closed at once and opened again on the same port) or answers every request
     * {@code 503}. Returns as soon as the restart has begun; events {@link
     * EngineEvent.Kind#RESTART_DOWN} and, when it ends, {@link EngineEvent.Kind#RESTART_UP} are told.
     * Scripted faults and counters are kept.
     *
     * @param downFor how long the restart lasts
     * @param mode what the engine does meanwhile
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code downFor} is negative
     * @throws IllegalStateException if the engine is closed, still restarting or has exited
     */
    public void restart(Duration downFor, RestartMode mode) {
        requireNotNegative(downFor, "downFor");
        Objects.requireNonNull(mode, "mode");
        server.restart(downFor, mode);
    }

    /**
     * Simulates the engine's process exiting for good: the listening socket closes at once, so
     * every connection from now on is refused and {@link #isListening()} is false, but each playback
     * already open goes on for {@code tail}, as a reader still gets the bytes its kernel received
     * before the peer vanished. Then every connection is reset and every session forgotten (each
     * counts in {@link #sessionsForgotten()}). The engine never comes back; {@link #close()} still
     * releases everything. Event {@link EngineEvent.Kind#EXITED} is told at once.
     *
     * @param tail how long open playbacks go on after the exit; {@link Duration#ZERO} resets them at once
     * @throws NullPointerException if {@code tail} is null
     * @throws IllegalArgumentException if {@code tail} is negative
     * @throws IllegalStateException if the engine is closed, restarting or has exited
     */
    public void exit(Duration tail) {
        requireNotNegative(tail, "tail");
        server.exit(tail);
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
     * Makes get_version (the health probe) answer only after a delay: a slow engine.
     *
     * @param delay how long each get_version waits; zero for at once
     * @throws IllegalArgumentException if the delay is negative
     */
    public void versionDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        faults.versionDelay(delay);
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
     * Counts playback requests refused with a broken answer because the session had a reader (and
     * the request did not say {@code stop_prev_read_thread=1}).
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
     * Counts engine sessions started by getstream calls: one per new (content, pid). Every one of
     * them should end in a stop command or be forgotten by the engine: {@code sessionsStarted() ==
     * sessionsStopped() + sessionsForgotten()}, i.e. {@link #sessionsOutstanding()} is 0, once the
     * code under test has let go of the engine.
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
     * Counts sessions started and neither stopped nor forgotten: {@code sessionsStarted() -
     * sessionsStopped() - sessionsForgotten()}. A client that has let go of the engine must leave
     * this at 0 (it stopped every session it asked for, or the engine forgot them); a session that
     * is never stopped holds engine resources in production until the engine times it out. Idle
     * expiry is applied lazily, so call {@link #openSessions()} first where it matters.
     *
     * @return the count; the same as {@link #openSessions()} once idle sessions have been expired
     */
    public int sessionsOutstanding() {
        return counters.sessionsStarted() - counters.sessionsStopped() - counters.sessionsForgotten();
    }

    /**
     * Counts playback requests with {@code stop_prev_read_thread=1} that cut the session's reader
     * and took its place.
     *
     * @return the count
     */
    public int readerReplacements() {
        return counters.readerReplacements();
    }

    /**
     * Counts (content, pid) sessions started and not stopped, expired or forgotten by a restart.
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
     * Takes the oldest event from the event queue, waiting up to {@code timeout} for one, like
     * MockWebServer's {@code takeRequest(timeout)}. The queue keeps the latest {@value
     * #EVENT_QUEUE_CAPACITY} events; older ones are dropped ({@link #eventsDropped()}).
     *
     * @param timeout how long to wait
     * @return the event, or null if none came in time
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public EngineEvent takeEvent(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return events.take(timeout);
    }

    /**
     * Takes events, oldest first, until one of this kind, waiting up to {@code timeout} in all;
     * the events skipped are gone from the queue.
     *
     * @param kind what to wait for
     * @param timeout how long to wait in all
     * @return the event, or null if none came in time
     * @throws NullPointerException if an argument is null
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public EngineEvent awaitEvent(EngineEvent.Kind kind, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(kind, "kind");
        return awaitEvent(event -> event.kind() == kind, timeout);
    }

    /**
     * Takes events, oldest first, until one that matches, waiting up to {@code timeout} in all; the
     * events skipped are gone from the queue.
     *
     * @param match what to wait for; runs on the caller's thread
     * @param timeout how long to wait in all
     * @return the event, or null if none came in time
     * @throws NullPointerException if an argument is null
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public EngineEvent awaitEvent(Predicate<? super EngineEvent> match, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(timeout, "timeout");
        return events.await(match, timeout);
    }

    /** Drops every event queued so far, so that the next one taken happens after this call. */
    public void clearEvents() {
        events.clear();
    }

    /**
     * Counts events dropped because the queue held {@value #EVENT_QUEUE_CAPACITY} events.
     *
     * @return the count
     */
    public long eventsDropped() {
        return events.dropped();
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

        /** The prebuffer delay by default: none. */
        public static final Duration DEFAULT_PREBUFFER_DELAY = Duration.ZERO;
        /** The session idle timeout by default: none, sessions live until stopped. */
        public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ZERO;

        private byte[] clip;
        private long bitrate;
        private Duration prebufferDelay = DEFAULT_PREBUFFER_DELAY;
        private WriteProfile writeProfile = WriteProfile.DEFAULT;
        /** The burst {@link #initialBurst(long)} set, or -1 when it was not called. */
        private long initialBurst = -1;
        private boolean playbackRedirect;
        private boolean unknownLiveFlags;
        private boolean closeDelimitedJson;
        private URI advertisedBaseUri;
        private String version = DEFAULT_VERSION;
        private long versionCode = versionCode(DEFAULT_VERSION);
        private Duration sessionIdleTimeout = DEFAULT_SESSION_IDLE_TIMEOUT;

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
         * Sets how long a content's download prebuffers, counted from the getstream call that
         * started it (not from a reader's connect). Meanwhile the stat url says {@code prebuf}
         * (with -1 for peers and speeds), and a playback gets no answer at all, not even its status
         * line, until it is over. Default {@link #DEFAULT_PREBUFFER_DELAY}.
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
         * Sets how many bytes each playback connection sends at link speed before pacing begins:
         * the burst of the write profile, whichever order the two options are set in. Default: the
         * profile's own ({@link WriteProfile#DEFAULT_BURST_BYTES} for the default profile).
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
         * Sets how playbacks are cut into socket writes and their burst. Default {@link
         * WriteProfile#DEFAULT}: ragged writes after a 1 MiB burst, as the real engine writes.
         *
         * @param profile the profile
         * @return this builder
         * @throws NullPointerException if {@code profile} is null
         */
        public Builder writeProfile(WriteProfile profile) {
            this.writeProfile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * Makes getstream answer {@code "is_live": -1, "is_encrypted": -1}, the engine's "unknown".
         * Default off ({@code 1} and {@code 0}).
         *
         * @param on whether the flags are unknown
         * @return this builder
         */
        public Builder unknownLiveFlags(boolean on) {
            this.unknownLiveFlags = on;
            return this;
        }

        /**
         * Makes every JSON answer (getstream, stat, stop, version, status) go without {@code
         * Content-Length} and without {@code Connection: close}: delimited by the connection's
         * close. Default off. (A {@code 302} and error answers are always framed that way.)
         *
         * @param on whether JSON answers are close-delimited
         * @return this builder
         */
        public Builder closeDelimitedJson(boolean on) {
            this.closeDelimitedJson = on;
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
         * it (then its urls answer as unknown). Default {@link #DEFAULT_SESSION_IDLE_TIMEOUT}: sessions live until stopped.
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
            WriteProfile profile = initialBurst >= 0 ? writeProfile.withBurst(initialBurst) : writeProfile;
            EngineConfig config = new EngineConfig(indexed, rate, prebufferDelay, profile, playbackRedirect,
                    advertisedBaseUri, version, versionCode, sessionIdleTimeout, unknownLiveFlags, closeDelimitedJson);
            EngineCounters counters = new EngineCounters();
            FaultScript faults = new FaultScript();
            EventLog events = new EventLog(EVENT_QUEUE_CAPACITY);
            return new FakeAceEngine(EngineServer.start(config, counters, faults, events), counters, faults, events,
                    rate, profile);
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
