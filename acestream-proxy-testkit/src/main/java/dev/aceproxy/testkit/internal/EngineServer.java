package dev.aceproxy.testkit.internal;

import dev.aceproxy.testkit.EngineEvent;
import dev.aceproxy.testkit.RestartMode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fake engine's HTTP/1.1 server: a listening socket on 127.0.0.1, one virtual thread per
 * connection, one request per connection. Lifecycle: RUNNING, DOWN (during a restart that refuses
 * connections; the port is closed), UNAVAILABLE (during a restart that answers 503; the port stays
 * open), EXITED (the process is gone: the port is closed for good), CLOSED; transitions happen only
 * in {@link #restart(Duration, RestartMode)}, the recovery that follows it, {@link #exit(Duration)}
 * and {@link #close()}. Thread-safe.
 */
public final class EngineServer implements AutoCloseable {

    private enum State { RUNNING, DOWN, UNAVAILABLE, EXITED, CLOSED }

    private static final System.Logger LOG = System.getLogger(EngineServer.class.getName());
    /** A client that connects must send its request head within this time. */
    private static final int REQUEST_HEAD_TIMEOUT_MILLIS = 10_000;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final int BACKLOG = 50;
    private static final int REBIND_ATTEMPTS = 100;

    private final InetAddress address;
    private final int port;
    private final EngineParts parts;
    private final EngineRouter router;
    private final AtomicLong connectionIds = new AtomicLong();
    private final Object stateLock = new Object();
    private State state = State.RUNNING;
    private ServerSocket listening;
    /** The thread accepting on {@link #listening}; guarded by {@link #stateLock}. */
    private Thread acceptor;

    private EngineServer(ServerSocket listening, EngineConfig config, EngineCounters counters, FaultScript faults,
                         EventLog events) {
        this.address = listening.getInetAddress();
        this.port = listening.getLocalPort();
        this.listening = listening;
        URI advertised = config.advertisedBase() != null ? config.advertisedBase() : baseUri(address, port);
        SessionsByContent sessions = new SessionsByContent(config.sessionIdleTimeout().toNanos(),
                config.prebufferDelay().toNanos(), counters, events);
        this.parts = new EngineParts(config, sessions, faults, counters, events, new ConnectionTable(), new Workers(),
                EngineParts.baseOf(advertised));
        this.router = new EngineRouter(parts);
    }

    /**
     * Binds a free port on 127.0.0.1 and starts accepting.
     *
     * @param config what to serve
     * @param counters where to count
     * @param faults the fault script
     * @param events where to tell what happens
     * @return the running server
     * @throws IOException if no port can be bound
     */
    public static EngineServer start(EngineConfig config, EngineCounters counters, FaultScript faults,
                                     EventLog events) throws IOException {
        InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        EngineServer server = new EngineServer(bind(loopback, 0), config, counters, faults, events);
        server.startAccepting(server.listening);
        return server;
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public URI baseUri() {
        return baseUri(address, port);
    }

    /** @return the listening port, the same across restarts */
    public int port() {
        return port;
    }

    /** @return whether the port accepts connections now (false during a refusing restart, after an exit and after close) */
    public boolean isListening() {
        synchronized (stateLock) {
            return state == State.RUNNING || state == State.UNAVAILABLE;
        }
    }

    /** @return whether a restart is under way */
    public boolean isRestarting() {
        synchronized (stateLock) {
            return state == State.DOWN || state == State.UNAVAILABLE;
        }
    }

    private boolean isUnavailable() {
        synchronized (stateLock) {
            return state == State.UNAVAILABLE;
        }
    }

    /** @return engine sessions started and not stopped or expired */
    public int openSessions() {
        return parts.sessions().size();
    }

    /** @return connections sending a playback body now */
    public int openPlaybackConnections() {
        return parts.connections().streamingCount();
    }

    /** @return threads of this engine that have not ended */
    public int liveThreads() {
        return parts.workers().count();
    }

    /** Resets every connection that is sending a playback body. */
    public void cutPlaybacks() {
        parts.connections().abortStreaming();
    }

    /**
     * Simulates an engine restart: drops every connection, forgets every session, and for {@code
     * downFor} either refuses connections (the port is closed, then listened on again) or answers
     * every request {@code 503}.
     *
     * @param downFor how long the restart lasts
     * @param mode what the engine does meanwhile
     * @throws IllegalStateException if the engine is closed or already restarting
     */
    public void restart(Duration downFor, RestartMode mode) {
        ServerSocket old = null;
        synchronized (stateLock) {
            if (state != State.RUNNING) {
                throw new IllegalStateException("the engine is " + state.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (mode == RestartMode.REFUSE_CONNECTIONS) {
                state = State.DOWN;
                old = listening;
                listening = null;
            } else {
                state = State.UNAVAILABLE;
            }
        }
        if (old != null) {
            closeQuietly(old);
            awaitAcceptorEnd();
        }
        parts.connections().abortAll();
        parts.sessions().clear();
        parts.events().record(EngineEvent.Kind.RESTART_DOWN, null, null, null);
        if (mode == RestartMode.REFUSE_CONNECTIONS) {
            parts.workers().start("restart", () -> reopenAfter(downFor));
        } else {
            parts.workers().start("restart", () -> becomeAvailableAfter(downFor));
        }
    }

    /**
     * Simulates the engine's process exiting: the port is closed at once and for good (connections
     * are refused), while the playbacks already open go on for {@code tail} (the bytes a reader's
     * kernel still holds after its peer is gone); then every connection is reset and every session
     * forgotten.
     *
     * @param tail how long open playbacks go on
     * @throws IllegalStateException if the engine is not running
     */
    public void exit(Duration tail) {
        ServerSocket old;
        synchronized (stateLock) {
            if (state != State.RUNNING) {
                throw new IllegalStateException("the engine is " + state.name().toLowerCase(java.util.Locale.ROOT));
            }
            state = State.EXITED;
            old = listening;
            listening = null;
        }
        closeQuietly(old);
        awaitAcceptorEnd();
        parts.events().record(EngineEvent.Kind.EXITED, null, null, null);
        parts.workers().start("exit", () -> endAfter(tail));
    }

    private void endAfter(Duration tail) {
        try {
            Thread.sleep(tail);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // closing: close() resets and forgets everything itself
        }
        parts.connections().abortAll();
        parts.sessions().clear();
    }

    private void becomeAvailableAfter(Duration downFor) {
        try {
            Thread.sleep(downFor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (stateLock) {
            if (state != State.UNAVAILABLE) {
                return;
            }
            state = State.RUNNING;
        }
        parts.events().record(EngineEvent.Kind.RESTART_UP, null, null, null);
    }

    private void reopenAfter(Duration downFor) {
        try {
            Thread.sleep(downFor);
            ServerSocket reopened = rebind();
            synchronized (stateLock) {
                if (state != State.DOWN) {
                    closeQuietly(reopened);
                    return;
                }
                state = State.RUNNING;
                listening = reopened;
            }
            startAccepting(reopened);
            parts.events().record(EngineEvent.Kind.RESTART_UP, null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the fake engine could not listen again on port " + port, e);
        }
    }

    /** The old socket's port may linger briefly in the kernel; SO_REUSEADDR and a few retries cover it. */
    private ServerSocket rebind() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return bind(address, port);
            } catch (BindException e) {
                if (attempt == REBIND_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private void startAccepting(ServerSocket socket) {
        Thread thread = parts.workers().start("accept", () -> acceptLoop(socket));
        synchronized (stateLock) {
            acceptor = thread;
        }
    }

    /**
     * A closed listening socket still accepts until the thread blocked in {@code accept} has left
     * it (the descriptor's close is deferred till then); wait for that so "down" really refuses.
     */
    private void awaitAcceptorEnd() {
        Thread thread;
        synchronized (stateLock) {
            thread = acceptor;
        }
        if (thread == null) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop(ServerSocket socket) {
        while (true) {
            Socket accepted;
            try {
                accepted = socket.accept();
            } catch (IOException e) {
                return; // closed by a restart or close
            }
            Connection connection = new Connection(connectionIds.incrementAndGet(), accepted);
            parts.connections().add(connection);
            try {
                parts.workers().start("connection", () -> serve(connection));
            } catch (RejectedExecutionException e) {
                parts.connections().remove(connection);
                connection.abort();
                return;
            }
        }
    }

    private void serve(Connection connection) {
        try {
            Socket socket = connection.socket();
            socket.setSoTimeout(REQUEST_HEAD_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            Exchange exchange = new Exchange(connection, parts.config().closeDelimitedJson());
            HttpRequest request;
            try {
                request = HttpRequestParser.read(new BufferedInputStream(socket.getInputStream(), 2048));
            } catch (BadRequestException e) {
                exchange.sendText(e.status(), e.getMessage());
                return;
            }
            socket.setSoTimeout(0);
            if (isUnavailable()) {
                exchange.sendText(503, "engine restarting");
                return;
            }
            router.route(exchange, request);
        } catch (IOException e) {
            // the peer left, or a fault or stop cut the connection: nobody to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            parts.connections().remove(connection);
            connection.close();
        }
    }

    /**
     * Stops listening, resets every connection, releases every held request and ends every thread.
     * Returns within a few seconds whatever the connections were doing. Idempotent.
     */
    @Override
    public void close() {
        ServerSocket old;
        synchronized (stateLock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            old = listening;
            listening = null;
        }
        closeQuietly(old);
        parts.faults().close();
        parts.connections().abortAll();
        parts.sessions().clear();
        if (!parts.workers().shutdown(CLOSE_GRACE)) {
            LOG.log(System.Logger.Level.WARNING, "some fake engine threads did not end within " + CLOSE_GRACE);
        }
        parts.connections().abortAll();
    }

    private static ServerSocket bind(InetAddress address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), BACKLOG);
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static URI baseUri(InetAddress address, int port) {
        return URI.create("http://" + address.getHostAddress() + ":" + port);
    }

    private static void closeQuietly(ServerSocket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
