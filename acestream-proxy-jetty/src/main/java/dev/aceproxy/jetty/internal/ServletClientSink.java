package dev.aceproxy.jetty.internal;

import dev.aceproxy.fanout.ClientSink;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

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

    private final ServletOutputStream out;
    private final int responseBufferSize;
    // Written and read by the writer thread only.
    private boolean buffered;
    private final WriteGate gate;

    /**
     * Creates the sink.
     *
     * @param out the response's output stream
     * @param responseBufferSize the response's buffer size ({@code getBufferSize()}): a write at
     *     least this large is never held back by the container, so no flush has to follow it
     * @param abortConnection aborts the client's connection; must be callable from any thread
     */
    public ServletClientSink(ServletOutputStream out, int responseBufferSize, Runnable abortConnection) {
        this.out = Objects.requireNonNull(out, "out");
        this.responseBufferSize = responseBufferSize;
        this.gate = new WriteGate(abortConnection);
    }

    /**
     * Writes whole packets; blocks while the client's socket is full.
     *
     * @param packets read-only packets, not kept after return
     * @throws IOException if the sink is closed or the client is gone
     */
    @Override
    public void write(ByteBuffer packets) throws IOException {
        gate.enter();
        try {
            // A write smaller than the response buffer may be kept back to be gathered with the
            // next; a larger one goes out with anything gathered before it.
            buffered = packets.remaining() < responseBufferSize;
            out.write(packets);
        } finally {
            gate.leave();
        }
    }

    /**
     * Sends whatever the response buffers onto the socket; does nothing when the last write was
     * at least as large as the response buffer, since the container sent that (and anything
     * gathered before it) at once.
     *
     * @throws IOException if the sink is closed or the client is gone
     */
    @Override
    public void flush() throws IOException {
        if (!buffered) {
            return;
        }
        gate.enter();
        try {
            out.flush();
            buffered = false;
        } finally {
            gate.leave();
        }
    }

    /**
     * Closes the sink; a write in progress is ended by aborting the connection. Idempotent.
     */
    @Override
    public void close() {
        gate.close();
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return gate.isClosed();
    }
}
