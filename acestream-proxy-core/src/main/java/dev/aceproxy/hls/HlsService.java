package dev.aceproxy.hls;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.hls.internal.HlsSession;
import dev.aceproxy.hls.internal.HlsSource;
import dev.aceproxy.registry.Channel;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.StreamRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * HLS over a {@link StreamRegistry}: one HLS session per content, made from the same engine
 * session as the content's MPEG-TS players. Each HLS session subscribes to the registry like a
 * player and cuts the shared chunks into segments ({@link Segment}: references, not copies); its
 * viewers fetch the {@link MediaPlaylist} and the segments from it.
 *
 * <p>Viewers are told apart by address and user agent. A viewer counts as a player for the
 * registry's limits and linger while it fetched something within
 * {@link HlsPolicy#viewerTimeout()}. Owns one scheduler thread that retires idle viewers, every
 * half target duration while there is an HLS session and not at all while there is none (an idle
 * proxy's thread sleeps); {@link #close()} ends it and every HLS session. Thread-safe.
 */
public final class HlsService implements AutoCloseable {

    private final StreamRegistry registry;
    private final HlsPolicy policy;
    private final Clock clock;
    private final ConcurrentHashMap<String, HlsSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private final long sweepPeriodMillis;
    private final Object sweeping = new Object();
    // Guarded by sweeping: the sweep's schedule, only while there are sessions to sweep, so that
    // an idle proxy's sweeper thread sleeps.
    private ScheduledFuture<?> sweeps;
    private volatile boolean closed;

    /**
     * Creates the service over a registry, with the UTC system clock.
     *
     * @param registry the registry; not closed by the service
     * @param policy the segmenting policy
     * @throws NullPointerException if an argument is null
     */
    public HlsService(StreamRegistry registry, HlsPolicy policy) {
        this(registry, policy, Clock.systemUTC());
    }

    /**
     * Creates the service over a registry.
     *
     * @param registry the registry; not closed by the service
     * @param policy the segmenting policy
     * @param clock the clock of program date-times
     * @throws NullPointerException if an argument is null
     */
    public HlsService(StreamRegistry registry, HlsPolicy policy, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aceproxy-hls-sweeper");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> System.getLogger(HlsService.class.getName())
                    .log(System.Logger.Level.ERROR, "HLS sweeper failed", e));
            return t;
        });
        this.sweepPeriodMillis = Math.max(100, policy.targetDuration().toMillis() / 2);
    }

    /**
     * The policy.
     *
     * @return the policy
     */
    public HlsPolicy policy() {
        return policy;
    }

    /**
     * The content's playlist for a viewer: joins its HLS session or starts one (subscribing to the
     * registry, which starts or joins the engine session), then waits, up to the policy's start
     * timeout, for the first segment.
     *
     * @param content the content
     * @param parameters extra engine parameters, as for {@link StreamRegistry#subscribe}
     * @param viewer who asks
     * @return the playlist
     * @throws IOException as {@link StreamRegistry#subscribe} (engine failures, limits), or an
     *     {@link dev.aceproxy.engine.EngineTimeoutException} when no segment came in time
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if the service or the registry is closed
     * @throws IllegalArgumentException if a parameter is not on the engines' allow-list
     */
    public MediaPlaylist playlist(ContentId content, Map<String, String> parameters, ClientInfo viewer)
            throws IOException, InterruptedException {
        return playlist(HlsSource.of(Objects.requireNonNull(content, "content")), parameters, viewer);
    }

    /**
     * The channel's playlist for a viewer: as {@link #playlist(ContentId, Map, ClientInfo)}, with
     * the channel's failover across its alternates (see
     * {@link StreamRegistry#subscribe(Channel, Map, dev.aceproxy.fanout.ClientSink, ClientInfo)});
     * a failover shows in the playlist as a discontinuity.
     *
     * @param channel the channel
     * @param parameters extra engine parameters, as for {@link StreamRegistry#subscribe}
     * @param viewer who asks
     * @return the playlist
     * @throws IOException as {@link StreamRegistry#subscribe}, or an
     *     {@link dev.aceproxy.engine.EngineTimeoutException} when no segment came in time
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if the service or the registry is closed
     * @throws IllegalArgumentException if a parameter is not on the engines' allow-list
     */
    public MediaPlaylist playlist(Channel channel, Map<String, String> parameters, ClientInfo viewer)
            throws IOException, InterruptedException {
        return playlist(HlsSource.of(Objects.requireNonNull(channel, "channel")), parameters, viewer);
    }

    private MediaPlaylist playlist(HlsSource source, Map<String, String> parameters, ClientInfo viewer)
            throws IOException, InterruptedException {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(viewer, "viewer");
        while (true) {
            if (closed) {
                throw new IllegalStateException("the HLS service is closed");
            }
            HlsSession session = sessions.computeIfAbsent(source.key(),
                    k -> new HlsSession(source, parameters, registry, policy, clock, this::forget));
            sweepWhileSessions();
            if (session.isEnded()) {
                sessions.remove(source.key(), session);
                continue;
            }
            try {
                return session.playlist(viewer);
            } catch (HlsSession.EndedException e) {
                sessions.remove(source.key(), session);
            }
        }
    }

    /**
     * A segment of the content's running HLS session; never starts anything.
     *
     * @param content the content
     * @param session the HLS session's tag, from {@link MediaPlaylist#session()}
     * @param sequence the segment's number
     * @param viewer who asks; the fetch counts as the viewer's activity
     * @return the segment, or empty if there is no such session or segment (not yet, or no longer)
     * @throws NullPointerException if an argument is null
     */
    public Optional<Segment> segment(ContentId content, String session, long sequence, ClientInfo viewer) {
        return segment(HlsSource.of(Objects.requireNonNull(content, "content")), session, sequence, viewer);
    }

    /**
     * A segment of the channel's running HLS session; never starts anything.
     *
     * @param channel the channel
     * @param session the HLS session's tag, from {@link MediaPlaylist#session()}
     * @param sequence the segment's number
     * @param viewer who asks; the fetch counts as the viewer's activity
     * @return the segment, or empty if there is no such session or segment (not yet, or no longer)
     * @throws NullPointerException if an argument is null
     */
    public Optional<Segment> segment(Channel channel, String session, long sequence, ClientInfo viewer) {
        return segment(HlsSource.of(Objects.requireNonNull(channel, "channel")), session, sequence, viewer);
    }

    private Optional<Segment> segment(HlsSource source, String session, long sequence, ClientInfo viewer) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(viewer, "viewer");
        HlsSession running = sessions.get(source.key());
        return running == null || !running.tag().equals(session) ? Optional.empty()
                : running.segment(sequence, viewer);
    }

    /**
     * The running HLS sessions.
     *
     * @return one status per session
     */
    public List<HlsSessionStatus> status() {
        List<HlsSessionStatus> out = new ArrayList<>();
        for (HlsSession s : sessions.values()) {
            out.add(s.status());
        }
        return List.copyOf(out);
    }

    /**
     * The running HLS session of a content, for tests and tools inside the module.
     *
     * @param content the content
     * @return the session, or empty
     */
    Optional<HlsSession> session(ContentId content) {
        return Optional.ofNullable(sessions.get(HlsSource.of(content).key()));
    }

    /** Ends every HLS session (leaving the registry) and the sweeper thread; idempotent. */
    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        for (HlsSession s : sessions.values()) {
            s.end();
        }
        sessions.clear();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (HlsSession s : sessions.values()) {
            try {
                s.expire(now);
            } catch (RuntimeException e) {
                // A failed sweep must not end the schedule: the next one tries again.
                System.getLogger(HlsService.class.getName()).log(System.Logger.Level.ERROR,
                        "HLS sweep of " + s.content() + " failed", e);
            }
        }
        synchronized (sweeping) {
            // A session added after this check starts the schedule again (it is added first).
            if (sessions.isEmpty() && sweeps != null) {
                sweeps.cancel(false);
                sweeps = null;
            }
        }
    }

    /** Starts the sweeps unless they run; called after a session was added. */
    private void sweepWhileSessions() {
        synchronized (sweeping) {
            if (sweeps == null && !closed) {
                try {
                    sweeps = sweeper.scheduleWithFixedDelay(this::sweep, sweepPeriodMillis, sweepPeriodMillis,
                            TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // closed meanwhile: the session is ended by close()
                }
            }
        }
    }

    private void forget(HlsSession session) {
        sessions.remove(session.source().key(), session);
    }
}
