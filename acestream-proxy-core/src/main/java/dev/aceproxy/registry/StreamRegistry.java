package dev.aceproxy.registry;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.fanout.ClientSink;
import dev.aceproxy.fanout.CoalescePolicy;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.registry.internal.RegistrySettings;
import dev.aceproxy.registry.internal.SessionTable;
import dev.aceproxy.ts.FastStartPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Optional;

/**
 * Puts many clients on one engine session per content. The first subscriber of a content starts
 * the session (exactly one {@code getstream} and one playback read, however many subscribers
 * arrive at once); later ones join it. The session survives the engine: a stalled or broken
 * upstream is recovered (reconnect, new engine session, failover to a channel's next alternate)
 * while clients stay connected and receive keepalive null packets. After the last client leaves,
 * the session lingers for {@link SessionPolicy#linger()} before its engine session is stopped.
 *
 * <p>Built with {@link #newBuilder()}; the configuration is immutable and every method is
 * thread-safe. The registry owns threads (one pump per session, a scheduler, an engine prober):
 * {@link #shutdown(Duration)} or {@link #close()} ends them all.
 */
public final class StreamRegistry implements AutoCloseable {

    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);

    private final List<AceEngineClient> engines;
    private final SessionTable table;

    private StreamRegistry(Builder b) {
        this.engines = List.copyOf(b.engines);
        this.table = new SessionTable(new RegistrySettings(engines, b.sessionPolicy, b.retryPolicy, b.playerPolicy,
                b.fastStart, b.coalescePolicy, b.limits, b.enginePoolPolicy, b.listener, b.clock));
    }

    /**
     * A builder with every policy at its default and no engine yet.
     *
     * @return a new builder
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Joins the running session for the content or starts one, and blocks until the session
     * delivers its first data (bounded by {@link SessionPolicy#startTimeout()}) or fails. The
     * first subscriber's parameters start the session; later subscribers join it whatever theirs
     * are (one engine session per content). On return the sink receives the stream from its own
     * writer thread; the sink is not closed when this method throws.
     *
     * @param content the content to play
     * @param parameters extra engine parameters (only those on the engines' allow-list)
     * @param sink the client's socket
     * @param client what the status may show about the client
     * @return the subscription; close it to leave
     * @throws ContentUnavailableException if the engine does not know or cannot load the content
     * @throws EngineUnavailableException if no engine can be reached (or none is healthy: then
     *     a subscriber joins a running session only while its upstream delivers data)
     * @throws EngineTimeoutException if no data arrived within the start timeout
     * @throws EngineProtocolException if the engine answered something that is not its protocol
     * @throws LimitReachedException if a {@link Limits} limit is reached
     * @throws DrainingException if a new session would be needed while the registry drains
     * @throws IOException for any other network failure while starting
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if the registry is shut down
     * @throws IllegalArgumentException if a parameter is not on the engines' allow-list
     * @throws NullPointerException if an argument is null
     */
    public Subscription subscribe(ContentId content, Map<String, String> parameters, ClientSink sink,
                                  ClientInfo client) throws IOException, InterruptedException {
        Objects.requireNonNull(content, "content");
        return table.subscribe(SessionTable.contentKey(content), List.of(content), Optional.empty(),
                parameters, sink, client);
    }

    /**
     * Joins the running session of the channel or starts one, as
     * {@link #subscribe(ContentId, Map, ClientSink, ClientInfo)}; the session is keyed by the
     * channel's name and fails over across its alternates. A channel started with one list of
     * alternates keeps it while it runs. If every alternate is already played by another
     * session, the subscriber joins the session playing the first alternate.
     *
     * @param channel the channel to play
     * @param parameters extra engine parameters (only those on the engines' allow-list)
     * @param sink the client's socket
     * @param client what the status may show about the client
     * @return the subscription; close it to leave
     * @throws ContentUnavailableException if no alternate could be loaded
     * @throws EngineUnavailableException if no engine can be reached (or none is healthy: then
     *     a subscriber joins a running session only while its upstream delivers data)
     * @throws EngineTimeoutException if no data arrived within the start timeout
     * @throws EngineProtocolException if the engine answered something that is not its protocol
     * @throws LimitReachedException if a {@link Limits} limit is reached
     * @throws DrainingException if a new session would be needed while the registry drains
     * @throws IOException for any other network failure while starting
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if the registry is shut down
     * @throws IllegalArgumentException if a parameter is not on the engines' allow-list
     * @throws NullPointerException if an argument is null
     */
    public Subscription subscribe(Channel channel, Map<String, String> parameters, ClientSink sink,
                                  ClientInfo client) throws IOException, InterruptedException {
        Objects.requireNonNull(channel, "channel");
        return table.subscribe(SessionTable.channelKey(channel.name()), channel.alternates(),
                Optional.of(channel.name()), parameters, sink, client);
    }

    /**
     * An immutable snapshot of every running session, every engine and the totals.
     *
     * @return the snapshot
     */
    public RegistryStatus status() {
        return table.status();
    }

    /**
     * The status of the session playing the content (directly or as a channel's current
     * alternate), if there is one that is not stopped or failed.
     *
     * @param content the content
     * @return the session's status, or empty
     * @throws NullPointerException if {@code content} is null
     */
    public Optional<SessionStatus> status(ContentId content) {
        Objects.requireNonNull(content, "content");
        return table.status(content);
    }

    /**
     * Starts draining: from now on no new session starts ({@code subscribe} throws
     * {@link DrainingException} when it would need one), while running sessions keep their clients
     * and still take new ones while their upstream flows (one engine session per content: a
     * balancer that sent a player here for a content playing here keeps it here). Sessions end as
     * usual, when their last client has gone and the linger delay is over. Idempotent; there is no
     * way back but a new registry.
     */
    public void startDraining() {
        table.startDraining();
    }

    /**
     * Tells whether {@link #startDraining()} was called.
     *
     * @return {@code true} once draining has begun
     */
    public boolean isDraining() {
        return table.isDraining();
    }

    /**
     * Whether the registry takes new sessions, and how full it is; takes no engine call, so it is
     * cheap enough for a balancer's readiness check. An engine counts as healthy until it failed
     * {@link EnginePoolPolicy#failuresBeforeRemoval()} probes in a row or refused a connection.
     *
     * @return a snapshot
     */
    public Readiness readiness() {
        return table.readiness();
    }

    /**
     * The extra getstream parameters a subscriber may pass: those that every engine of the pool
     * allows, so that a session may start on any of them. {@link #subscribe} refuses any other.
     *
     * @return the allowed parameter names, immutable
     */
    public Set<String> allowedParameters() {
        return table.allowedParameters();
    }

    /**
     * The engines of the pool, in the order they were configured.
     *
     * @return an immutable list
     */
    public List<AceEngineClient> engines() {
        return engines;
    }

    /**
     * Refuses new subscribers, ends every client's stream ({@code SHUTDOWN}), stops every engine
     * session, closes every playback connection and ends every registry thread, within the
     * deadline as far as the engines allow (threads still running at the deadline are
     * interrupted). Idempotent; a second call waits for the first to finish within its own
     * deadline.
     *
     * @param deadline how long the whole shutdown may take
     * @throws InterruptedException if the calling thread is interrupted while waiting; the
     *     shutdown goes on in the background
     * @throws NullPointerException if {@code deadline} is null
     */
    public void shutdown(Duration deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        table.shutdown(deadline);
    }

    /**
     * Tells whether {@link #shutdown(Duration)} was called.
     *
     * @return {@code true} once shutdown has begun
     */
    public boolean isShutdown() {
        return table.isShutdown();
    }

    /**
     * {@link #shutdown(Duration)} with a 5 s deadline. If the calling thread is interrupted, the
     * shutdown goes on in the background and the interrupt status is kept.
     */
    @Override
    public void close() {
        try {
            shutdown(CLOSE_DEADLINE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Threads the registry started that have not ended yet; for leak tests. */
    int liveThreads() {
        return table.liveThreads();
    }

    /**
     * Builds a {@link StreamRegistry}. Not thread-safe; {@link #build()} may be called more than
     * once, each registry independent.
     */
    public static final class Builder {
        private final List<AceEngineClient> engines = new ArrayList<>();
        private SessionPolicy sessionPolicy = SessionPolicy.DEFAULT;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private PlayerPolicy playerPolicy = PlayerPolicy.DEFAULT;
        private FastStartPolicy fastStart = FastStartPolicy.DEFAULT;
        private CoalescePolicy coalescePolicy = CoalescePolicy.DEFAULT;
        private Limits limits = Limits.DEFAULT;
        private EnginePoolPolicy enginePoolPolicy = EnginePoolPolicy.DEFAULT;
        private StreamListener listener = StreamListener.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Adds an engine; several make a pool.
         *
         * @param engine the engine's client
         * @return this builder
         * @throws NullPointerException if {@code engine} is null
         * @throws IllegalArgumentException if an engine with the same base uri was added already
         */
        public Builder engine(AceEngineClient engine) {
            Objects.requireNonNull(engine, "engine");
            for (AceEngineClient e : engines) {
                if (e.baseUri().equals(engine.baseUri())) {
                    throw new IllegalArgumentException("engine " + engine.baseUri() + " added twice");
                }
            }
            engines.add(engine);
            return this;
        }

        /**
         * Sets the session timings (default {@link SessionPolicy#DEFAULT}).
         *
         * @param p the policy
         * @return this builder
         * @throws NullPointerException if {@code p} is null
         */
        public Builder sessionPolicy(SessionPolicy p) {
            this.sessionPolicy = Objects.requireNonNull(p, "sessionPolicy");
            return this;
        }

        /**
         * Sets the retry policy of the recovery ladder (default {@link RetryPolicy#DEFAULT}).
         *
         * @param p the policy
         * @return this builder
         * @throws NullPointerException if {@code p} is null
         */
        public Builder retryPolicy(RetryPolicy p) {
            this.retryPolicy = Objects.requireNonNull(p, "retryPolicy");
            return this;
        }

        /**
         * Sets each client's queue policy (default {@link PlayerPolicy#DEFAULT}).
         *
         * @param p the policy
         * @return this builder
         * @throws NullPointerException if {@code p} is null
         */
        public Builder playerPolicy(PlayerPolicy p) {
            this.playerPolicy = Objects.requireNonNull(p, "playerPolicy");
            return this;
        }

        /**
         * Sets the fast-start policy (default {@link FastStartPolicy#DEFAULT}).
         *
         * @param p the policy
         * @return this builder
         * @throws NullPointerException if {@code p} is null
         */
        public Builder fastStart(FastStartPolicy p) {
            this.fastStart = Objects.requireNonNull(p, "fastStart");
            return this;
        }

        /**
         * Sets how small upstream chunks are gathered before they reach the clients (default
         * {@link CoalescePolicy#DEFAULT}: up to 128 KiB or 200 ms).
         *
         * @param p the policy
         * @return this builder
         * @throws NullPointerException if {@code p} is null
         */
        public Builder coalescePolicy(CoalescePolicy p) {
            this.coalescePolicy = Objects.requireNonNull(p, "coalescePolicy");
            return this;
        }

        /**
         * Sets the capacity limits (default {@link Limits#DEFAULT}).
         *
         * @param l the limits
         * @return this builder
         * @throws NullPointerException if {@code l} is null
         */
        public Builder limits(Limits l) {
            this.limits = Objects.requireNonNull(l, "limits");
            return this;
        }

        /**
         * Sets how engines are probed (default {@link EnginePoolPolicy#DEFAULT}).
         *
         * @param p the policy
         * @return this builder
         * @throws NullPointerException if {@code p} is null
         */
        public Builder enginePoolPolicy(EnginePoolPolicy p) {
            this.enginePoolPolicy = Objects.requireNonNull(p, "enginePoolPolicy");
            return this;
        }

        /**
         * Sets the listener (default {@link StreamListener#NONE}).
         *
         * @param l the listener
         * @return this builder
         * @throws NullPointerException if {@code l} is null
         */
        public Builder listener(StreamListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * Sets the clock of timestamps, uptimes and the stable period that resets the recovery
         * ladder (default the UTC system clock). Timeouts use the JVM's monotonic time.
         *
         * @param c the clock
         * @return this builder
         * @throws NullPointerException if {@code c} is null
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * Builds the registry and starts its engine-probe and scheduler threads.
         *
         * @return the registry
         * @throws IllegalStateException if no engine was added
         */
        public StreamRegistry build() {
            if (engines.isEmpty()) {
                throw new IllegalStateException("at least one engine is needed");
            }
            return new StreamRegistry(this);
        }
    }
}
