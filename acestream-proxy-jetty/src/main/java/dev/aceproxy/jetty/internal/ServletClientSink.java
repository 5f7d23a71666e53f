package dev.aceproxy.jetty.internal;

import dev.aceproxy.fanout.ClientSink;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One player's response body as a {@link ClientSink}: each chunk goes out through
 * {@link ServletOutputStream#write(ByteBuffer)} without a copy, and {@link #flush()} pushes it onto
 * the socket. Written by exactly one thread (the client's writer); {@link #close()} may come from
 * any thread, and if a write is blocked at that moment (a player that stopped reading) the
 * connection is aborted so the write returns at once.
 *
 * <p>Closing does not complete the response: the servlet decides, once the stream is over,
 * whether the response ends cleanly or the connection is aborted.
 */
public final class ServletClientSink implements ClientSink {

    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int CLOSED = 2;

    private final ServletOutputStream out;
    private final Runnable abortConnection;
    private final AtomicInteger state = new AtomicInteger(IDLE);

    /**
     * Creates the sink.
     *
     * @param out the response's output stream
     * @param abortConnection aborts the client's connection; must be callable from any thread
     */
    public ServletClientSink(ServletOutputStream out, Runnable abortConnection) {
        this.out = Objects.requireNonNull(out, "out");
        this.abortConnection = Objects.requireNonNull(abortConnection, "abortConnection");
    }

    /**
     * Writes whole packets; blocks while the client's socket is full.
     *
     * @param packets read-only packets, not kept after return
     * @throws IOException if the sink is closed or the client is gone
     */
    @Override
    public void write(ByteBuffer packets) throws IOException {
        enter();
        try {
            out.write(packets);
        } finally {
            leave();
        }
    }

    /**
     * Sends whatever the response buffers onto the socket.
     *
     * @throws IOException if the sink is closed or the client is gone
     */
    @Override
    public void flush() throws IOException {
        enter();
        try {
            out.flush();
        } finally {
            leave();
        }
    }

    /**
     * Closes the sink; a write in progress is ended by aborting the connection. Idempotent.
     */
    @Override
    public void close() {
        if (state.getAndSet(CLOSED) == WRITING) {
            abortConnection.run();
        }
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return state.get() == CLOSED;
    }

    private void enter() throws IOException {
        if (!state.compareAndSet(IDLE, WRITING)) {
            throw new IOException("the client's stream is closed");
        }
    }

    private void leave() {
        state.compareAndSet(WRITING, IDLE);
    }
}
