package dev.aceproxy.hls.internal;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.fanout.ChunkSink;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.hls.HlsSessionStatus;
import dev.aceproxy.hls.MediaPlaylist;
import dev.aceproxy.hls.Segment;
import dev.aceproxy.registry.Channel;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.StreamEnd;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.registry.Subscription;
import dev.aceproxy.ts.Chunk;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One content's HLS: a segmenter subscribed to the registry like a player, its window of segments,
 * and its viewers. The segmenter's subscription stands for the first viewer; each further viewer
 * holds a presence subscription (a sink that drops what it is given: a reference per chunk, no
 * bytes), so that every viewer counts as a player for the registry's limits and linger. A viewer
 * counts while it fetched something within {@link HlsPolicy#viewerTimeout()}; when none is left,
 * the session leaves the registry, whose linger then applies. Thread-safe.
 */
public final class HlsSession {

    /**
     * Segments a session's first playlists wait for (at most the start timeout; then they list
     * what there is): a player then starts three target durations from the live edge.
     */
    static final int START_SEGMENTS = 3;

    private static final java.security.SecureRandom TAGS = new java.security.SecureRandom();

    private final HlsSource source;
    private final String tag;
    private final Map<String, String> parameters;
    private final StreamRegistry registry;
    private final HlsPolicy policy;
    private final SegmentWindow window;
    private final Segmenter segmenter;
    private final Consumer<HlsSession> onEnd;
    private final CompletableFuture<Subscription> started = new CompletableFuture<>();
    private final AtomicBoolean starting = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ConcurrentHashMap<String, Viewer> viewers = new ConcurrentHashMap<>();
    private final AtomicLong segmentsServed = new AtomicLong();
    private final AtomicLong playlistsServed = new AtomicLong();
    private final long createdNanos = System.nanoTime();
    private volatile StreamEnd streamEnd;

    /**
     * Creates a session that is not started.
     *
     * @param source what the session plays
     * @param parameters the engine parameters of the first viewer
     * @param registry the registry to subscribe to
     * @param policy segmenting policy
     * @param clock the clock of program date-times
     * @param onEnd called once when the session ends
     */
    public HlsSession(HlsSource source, Map<String, String> parameters, StreamRegistry registry, HlsPolicy policy,
                      Clock clock, Consumer<HlsSession> onEnd) {
        this.source = source;
        this.parameters = Map.copyOf(parameters);
        this.registry = registry;
        this.policy = policy;
        this.tag = Long.toHexString(TAGS.nextLong() & Long.MAX_VALUE);
        this.window = new SegmentWindow(policy, tag);
        this.segmenter = new Segmenter(policy, window, clock);
        this.onEnd = onEnd;
    }

    /**
     * The content, or the first alternate of the channel the session plays.
     *
     * @return the content
     */
    public ContentId content() {
        return source.content();
    }

    /**
     * What the session plays.
     *
     * @return the source
     */
    public HlsSource source() {
        return source;
    }

    /**
     * The session's tag, which segment uris carry.
     *
     * @return lowercase hex
     */
    public String tag() {
        return tag;
    }

    /**
     * The window, for tests and tools.
     *
     * @return the window
     */
    public SegmentWindow window() {
        return window;
    }

    /**
     * Joins a viewer (starting the session for the first one) and returns the playlist once it
     * lists {@value #START_SEGMENTS} segments, or, when the start timeout passes first, as soon as
     * it lists one.
     *
     * @param viewer the viewer
     * @return the playlist
     * @throws IOException as {@link StreamRegistry#subscribe}, an {@link EngineTimeoutException}
     *     when no segment came within the start timeout, or an {@link EndedException} when the
     *     session ended (its last viewer gone) while this viewer joined: try a new session
     * @throws InterruptedException if interrupted while waiting
     */
    public MediaPlaylist playlist(ClientInfo viewer) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + policy.startTimeout().toNanos();
        start(viewer);
        join(viewer);
        // A player starts three target durations from the live edge when the playlist lets it (as
        // the HLS specification advises); with fewer segments it starts at the first one, close to
        // the edge, and stalls at the first late segment. So the first playlists wait for three.
        Optional<MediaPlaylist> playlist = window.awaitPlaylist(deadline - System.nanoTime(), START_SEGMENTS);
        if (playlist.isEmpty()) {
            StreamEnd end = streamEnd;
            if (end == null && ended.get()) {
                throw new EndedException();
            }
            if (end != null && end.reason() == EndReason.STREAM_FAILED) {
                throw new EngineUnavailableException("the stream failed before its first segment"
                        + end.detail().map(d -> ": " + d).orElse(""));
            }
            if (end != null) {
                throw new EngineUnavailableException("the stream ended before its first segment");
            }
            throw new EngineTimeoutException("no HLS segment within " + policy.startTimeout().toMillis()
                    + " ms (no keyframe of a known video stream yet)");
        }
        playlistsServed.incrementAndGet();
        return playlist.get();
    }

    /**
     * A held segment; the viewer's fetch counts as activity.
     *
     * @param sequence the segment's number
     * @param viewer the viewer
     * @return the segment, or empty if it is not held
     */
    public Optional<Segment> segment(long sequence, ClientInfo viewer) {
        Viewer v = viewers.get(key(viewer));
        if (v != null) {
            v.touch();
        }
        Optional<Segment> segment = window.segment(sequence);
        if (segment.isPresent()) {
            segmentsServed.incrementAndGet();
        }
        return segment;
    }

    /**
     * Ends viewers idle past the viewer timeout; ends the session when none is left.
     *
     * @param nowNanos {@code System.nanoTime()}
     */
    public void expire(long nowNanos) {
        long timeout = policy.viewerTimeout().toNanos();
        List<Viewer> gone = new ArrayList<>();
        for (Map.Entry<String, Viewer> e : viewers.entrySet()) {
            if (nowNanos - e.getValue().lastSeen > timeout && viewers.remove(e.getKey(), e.getValue())) {
                gone.add(e.getValue());
            }
        }
        for (Viewer v : gone) {
            if (v.presence != null) {
                v.presence.close();
            } else {
                // The segmenter stood for this viewer: another one takes its place, if any.
                handOver();
            }
        }
        if (viewers.isEmpty() && started.isDone() && nowNanos - createdNanos > timeout) {
            end();
        }
    }

    /** Leaves the registry and drops every viewer; idempotent. */
    public void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        segmenter.close();
        window.close();
        started.thenAccept(Subscription::close);
        for (Viewer v : viewers.values()) {
            if (v.presence != null) {
                v.presence.close();
            }
        }
        viewers.clear();
        onEnd.accept(this);
    }

    /**
     * Tells whether the session has ended.
     *
     * @return true once ended
     */
    public boolean isEnded() {
        return ended.get();
    }

    /**
     * The status figures.
     *
     * @return the status
     */
    public HlsSessionStatus status() {
        long[] f = window.figures();
        return new HlsSessionStatus(source.content(), source.channel().map(Channel::name), viewers.size(),
                (int) f[0], f[1], f[2], (int) f[3], f[4],
                segmentsServed.get(), playlistsServed.get());
    }

    private void start(ClientInfo viewer) throws IOException, InterruptedException {
        if (starting.compareAndSet(false, true)) {
            try {
                Subscription s = source.subscribe(registry, parameters, segmenter, label(viewer));
                s.ended().thenAccept(this::streamEnded);
                started.complete(s);
            } catch (IOException | RuntimeException | InterruptedException e) {
                started.completeExceptionally(e);
                end();
                throw e;
            }
        }
        try {
            started.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException) {
                throw new InterruptedIOException("the HLS session's start was interrupted");
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
        if (ended.get()) {
            throw new EndedException();
        }
    }

    private void join(ClientInfo viewer) throws IOException, InterruptedException {
        String key = key(viewer);
        Viewer existing = viewers.get(key);
        if (existing != null) {
            existing.touch();
            return;
        }
        Viewer fresh = new Viewer();
        synchronized (this) {
            existing = viewers.putIfAbsent(key, fresh);
            if (existing != null) {
                existing.touch();
                return;
            }
            if (!hasRepresentative()) {
                fresh.representative = true;
                return;
            }
        }
        try {
            fresh.presence = source.subscribe(registry, parameters, new PresenceSink(), label(viewer));
        } catch (IOException | RuntimeException | InterruptedException e) {
            viewers.remove(key, fresh);
            throw e;
        }
        if (!viewers.containsKey(key)) {
            fresh.presence.close();
        }
    }

    private synchronized boolean hasRepresentative() {
        for (Viewer v : viewers.values()) {
            if (v.representative) {
                return true;
            }
        }
        return false;
    }

    private void handOver() {
        Subscription toClose = null;
        synchronized (this) {
            for (Viewer v : viewers.values()) {
                if (v.presence != null) {
                    toClose = v.presence;
                    v.presence = null;
                    v.representative = true;
                    break;
                }
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    private void streamEnded(StreamEnd end) {
        streamEnd = end;
        end();
    }

    private static String key(ClientInfo viewer) {
        return viewer.remoteAddress().orElse("") + "\n" + viewer.userAgent().orElse("");
    }

    private static ClientInfo label(ClientInfo viewer) {
        return new ClientInfo(viewer.remoteAddress(), Optional.of("HLS " + viewer.userAgent().orElse("viewer")));
    }

    /**
     * The session ended, not by its stream's fault (its last viewer went quiet, or the service
     * closed), while a viewer joined it: the caller tries a new session.
     */
    public static final class EndedException extends IOException {
        private static final long serialVersionUID = 1L;

        /** Creates the exception. */
        public EndedException() {
            super("the HLS session ended");
        }
    }

    /** One viewer, known by its address and user agent. */
    private static final class Viewer {
        volatile long lastSeen = System.nanoTime();
        volatile Subscription presence;
        volatile boolean representative;

        void touch() {
            lastSeen = System.nanoTime();
        }
    }

    /** What a presence subscription receives: dropped (a reference per chunk, nothing copied). */
    private static final class PresenceSink implements ChunkSink {
        private volatile boolean closed;

        @Override
        public void write(Chunk chunk) throws IOException {
            if (closed) {
                throw new IOException("the viewer left");
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
