package dev.aceproxy.jetty.playlist;

import dev.aceproxy.jetty.m3u.M3uParser;
import dev.aceproxy.registry.Channel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's playlists and channels: what {@code /playlists} serves and what
 * {@code /ace/getstream?channel=} plays.
 *
 * <p>{@link #start()} reads every source once: a file that cannot be read fails the start, an url
 * that does not answer is logged and retried on the refresh timer (its playlist answers 502 until
 * it loads). Every source is read again every {@code refreshInterval} on one thread named
 * {@value #THREAD_NAME}, started by {@link #start()} only when there is a source and stopped by
 * {@link #close()}; a failed refresh keeps the last good copy. The channels are the configured
 * ones and, for each loaded playlist, its {@code tvg-id} groups, named
 * {@link PlaylistCopy#channelName(String, String)}. Thread-safe.
 */
public final class PlaylistCatalog implements ChannelDirectory, AutoCloseable {

    /** The refresh thread's name. */
    public static final String THREAD_NAME = "aceproxy-playlist-refresh";
    /** Default time between two reads of a source. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);
    /** Default bound on one url fetch (connect, each read, and the whole body). */
    public static final Duration DEFAULT_FETCH_TIMEOUT = Duration.ofSeconds(15);
    /** Default bound on a source's size: room for about 100 000 entries. */
    public static final long DEFAULT_MAX_BYTES = 32L << 20;

    private static final System.Logger LOG = System.getLogger(PlaylistCatalog.class.getName());

    private final Map<String, PlaylistSource> sources;
    private final ChannelDirectory configured;
    private final Duration refreshInterval;
    private final Duration fetchTimeout;
    private final long maxBytes;
    private final Map<String, PlaylistCopy> copies = new ConcurrentHashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ScheduledExecutorService timer;
    private boolean closed;

    private PlaylistCatalog(Builder b) {
        this.sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.sources));
        this.configured = b.channels;
        this.refreshInterval = b.refreshInterval;
        this.fetchTimeout = b.fetchTimeout;
        this.maxBytes = b.maxBytes;
    }

    /**
     * Starts a builder.
     *
     * @return a builder without sources or channels and with the defaults
     */
    public static Builder newBuilder() {
        return new Builder();
    }

    /**
     * Reads every source once and starts the refresh timer.
     *
     * @throws PlaylistLoadException if a file source cannot be read (it names the playlist and the
     *     file); nothing is left running then
     * @throws IllegalStateException if started twice or after {@link #close()}
     */
    public synchronized void start() throws PlaylistLoadException {
        if (timer != null || closed) {
            throw new IllegalStateException("the catalog was started or closed already");
        }
        for (PlaylistSource source : sources.values()) {
            if (source.remote()) {
                if (!load(source)) {
                    LOG.log(Level.ERROR, "playlist " + source + " did not load: " + problems.get(source.name())
                            + "; /playlists/" + source.name() + ".m3u answers 502 until a refresh (every "
                            + refreshInterval.toSeconds() + "s) loads it");
                }
            } else {
                copies.put(source.name(), read(source));
            }
            playlist(source.name()).ifPresent(c -> LOG.log(Level.INFO, "playlist " + source + ": "
                    + c.entries().size() + " entries, " + c.groups().size() + " tvg-id groups"));
        }
        if (sources.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.ERROR, "playlist refresh failed", e));
            threads.add(t);
            return t;
        });
        timer.scheduleWithFixedDelay(this::refreshAll, refreshInterval.toNanos(), refreshInterval.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /**
     * Reads every source again now, on the calling thread, keeping the last good copy of each that
     * fails.
     */
    public void refreshAll() {
        for (PlaylistSource source : sources.values()) {
            load(source);
        }
        refreshes.incrementAndGet();
    }

    /**
     * Returns how many full refreshes have run (by the timer or {@link #refreshAll()}).
     *
     * @return the count
     */
    public int refreshCount() {
        return refreshes.get();
    }

    /**
     * Lists the playlist names, in the order configured.
     *
     * @return the names
     */
    public List<String> names() {
        return List.copyOf(sources.keySet());
    }

    /**
     * Tells whether a playlist of that name is configured.
     *
     * @param name the name
     * @return true if it is
     */
    public boolean has(String name) {
        return sources.containsKey(name);
    }

    /**
     * Returns the last good copy of a playlist.
     *
     * @param name the name
     * @return the copy, or empty when the playlist is unknown or never loaded
     */
    public Optional<PlaylistCopy> playlist(String name) {
        return Optional.ofNullable(copies.get(name));
    }

    /**
     * Returns why the last read of a playlist failed, without its url.
     *
     * @param name the name
     * @return the problem, or empty when the last read succeeded
     */
    public Optional<String> problem(String name) {
        return Optional.ofNullable(problems.get(name));
    }

    /**
     * Finds a configured channel, or a {@code tvg-id} group of a loaded playlist.
     *
     * @param name the channel's name
     * @return the channel, or empty
     */
    @Override
    public Optional<Channel> channel(String name) {
        Optional<Channel> own = configured.channel(name);
        if (own.isPresent()) {
            return own;
        }
        int sep = name.indexOf(PlaylistCopy.GROUP_SEPARATOR);
        if (sep <= 0) {
            return Optional.empty();
        }
        PlaylistCopy copy = copies.get(name.substring(0, sep));
        return copy == null ? Optional.empty() : Optional.ofNullable(copy.groups().get(name.substring(sep + 1)));
    }

    /**
     * Stops the refresh timer and waits for its thread to end, a refresh in progress included
     * (bounded by the fetch timeout and a second). Idempotent.
     */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            closed = true;
            t = timer;
            timer = null;
        }
        if (t == null) {
            return;
        }
        t.shutdownNow();
        try {
            long deadline = System.nanoTime() + fetchTimeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
            for (Thread thread : threads) {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (thread.isAlive()) {
                    LOG.log(Level.WARNING, "the playlist refresh did not stop in time");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean load(PlaylistSource source) {
        try {
            copies.put(source.name(), read(source));
            problems.remove(source.name());
            return true;
        } catch (PlaylistLoadException e) {
            problems.put(source.name(), e.getMessage());
            if (copies.containsKey(source.name())) {
                LOG.log(Level.WARNING, e.getMessage() + "; serving the copy loaded at "
                        + copies.get(source.name()).loadedAt());
            }
            return false;
        }
    }

    private PlaylistCopy read(PlaylistSource source) throws PlaylistLoadException {
        byte[] bytes = PlaylistReader.read(source, fetchTimeout, maxBytes);
        try {
            return PlaylistCopy.of(source.name(), M3uParser.parse(new ByteArrayInputStream(bytes)), Instant.now());
        } catch (IOException e) {
            throw new PlaylistLoadException("playlist " + source.name() + " cannot be parsed", e);
        }
    }

    /** Collects a catalog's sources, channels and bounds. Not thread-safe. */
    public static final class Builder {
        private final Map<String, PlaylistSource> sources = new LinkedHashMap<>();
        private ChannelDirectory channels = ChannelDirectory.NONE;
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;
        private Duration fetchTimeout = DEFAULT_FETCH_TIMEOUT;
        private long maxBytes = DEFAULT_MAX_BYTES;

        private Builder() {
        }

        /**
         * Adds a playlist source.
         *
         * @param source the source
         * @return this builder
         * @throws IllegalArgumentException if a source of that name was added already
         */
        public Builder source(PlaylistSource source) {
            Objects.requireNonNull(source, "source");
            if (sources.putIfAbsent(source.name(), source) != null) {
                throw new IllegalArgumentException("playlist " + source.name() + " is defined twice");
            }
            return this;
        }

        /**
         * Sets the configured channels.
         *
         * @param channels the channels
         * @return this builder
         * @throws IllegalArgumentException if two channels share a name
         */
        public Builder channels(List<Channel> channels) {
            this.channels = ChannelDirectory.of(new ArrayList<>(channels));
            return this;
        }

        /**
         * Sets the time between two reads of the sources.
         *
         * @param interval a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder refreshInterval(Duration interval) {
            this.refreshInterval = positive(interval, "refreshInterval");
            return this;
        }

        /**
         * Sets the bound on one url fetch.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = positive(timeout, "fetchTimeout");
            return this;
        }

        /**
         * Sets the largest source accepted.
         *
         * @param bytes at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBytes must be positive");
            }
            this.maxBytes = bytes;
            return this;
        }

        /**
         * Builds the catalog; {@link PlaylistCatalog#start()} reads the sources.
         *
         * @return the unstarted catalog
         */
        public PlaylistCatalog build() {
            return new PlaylistCatalog(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
