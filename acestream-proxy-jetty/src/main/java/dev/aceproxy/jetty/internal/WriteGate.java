package dev.aceproxy.jetty.internal;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The closing rule of a player's sink: a write {@linkplain #enter enters} and {@linkplain #leave
 * leaves}; {@link #close()} during a write aborts the connection, so that a write blocked on a
 * player that stopped reading returns at once; after the close no write enters. One writer at a
 * time; {@code close} from any thread.
 */
final class WriteGate {

    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int CLOSED = 2;

    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Runnable abortConnection;

    WriteGate(Runnable abortConnection) {
        this.abortConnection = Objects.requireNonNull(abortConnection, "abortConnection");
    }

    /** Starts a write; fails if the sink is closed. */
    void enter() throws IOException {
        if (!state.compareAndSet(IDLE, WRITING)) {
            throw new IOException("the client's stream is closed");
        }
    }

    /** Ends a write; a close that came meanwhile stays. */
    void leave() {
        state.compareAndSet(WRITING, IDLE);
    }

    /** Closes; aborts the connection when a write is in progress. Idempotent. */
    void close() {
        if (state.getAndSet(CLOSED) == WRITING) {
            abortConnection.run();
        }
    }

    boolean isClosed() {
        return state.get() == CLOSED;
    }
}
