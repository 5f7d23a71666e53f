package dev.aceproxy.fanout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's connection as the fan-out sees it. {@link #write} and {@link #flush} are called by
 * exactly one thread, the client's writer thread; {@link #close()} may come from another thread,
 * to unblock a write that hangs.
 */
public interface ClientSink extends AutoCloseable {

    /**
     * Writes all remaining bytes of {@code packets}; may block while the client is slow.
     *
     * @param packets whole transport stream packets, read-only; do not keep it after returning
     * @throws IOException if the client is gone or the connection fails; this ends only this
     *     client
     */
    void write(ByteBuffer packets) throws IOException;

    /**
     * Pushes buffered bytes to the client. Called when the writer's queue runs empty, not after
     * every chunk.
     *
     * @throws IOException if the client is gone or the connection fails
     */
    default void flush() throws IOException {
    }

    /**
     * Closes the connection. Idempotent, must not block for long, and may be called from another
     * thread while {@link #write} blocks, which should then fail.
     */
    @Override
    void close();

    /**
     * Adapts an output stream (a socket's, a servlet response's): writes go to it through a
     * channel view, {@link #flush()} flushes it, {@link #close()} closes it once and ignores its
     * failure.
     *
     * @param out the client's stream
     * @return a sink that owns {@code out}
     * @throws NullPointerException if {@code out} is null
     */
    static ClientSink of(OutputStream out) {
        Objects.requireNonNull(out, "out");
        WritableByteChannel channel = Channels.newChannel(out);
        AtomicBoolean closed = new AtomicBoolean();
        return new ClientSink() {
            @Override
            public void write(ByteBuffer packets) throws IOException {
                while (packets.hasRemaining()) {
                    channel.write(packets);
                }
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    try {
                        out.close();
                    } catch (IOException ignored) {
                        // The client is going away in any case; nothing is left to do with it.
                    }
                }
            }
        };
    }
}
