package dev.aceproxy.fanout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's connection as the fan-out sees it. {@link #write}, {@link #flush} and
 * {@link #tryWrite} are never called at the same time: {@code write} and {@code flush} by the
 * client's writer thread, {@code tryWrite} (on a sink that {@linkplain #writesWithoutBlocking
 * offers it}) by the thread that hands out the stream's chunks, while the writer thread waits for
 * work. {@link #close()} may come from any thread, to unblock a write that hangs.
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
     * Pushes buffered bytes to the client, and what a {@link #tryWrite} kept. Called when the
     * writer's queue runs empty, not after every chunk, and first of all after a {@code tryWrite}
     * that returned {@code false}; may block while the client is slow.
     *
     * @throws IOException if the client is gone or the connection fails
     */
    default void flush() throws IOException {
    }

    /**
     * Tells whether {@link #tryWrite} is offered. A sink that offers it is written, while its client
     * keeps up, by the thread that hands out the stream's chunks, and its writer thread is woken
     * only when the connection cannot take a chunk at once. {@code false} by default.
     *
     * @return whether {@link #tryWrite} may be called; the same answer every time
     */
    default boolean writesWithoutBlocking() {
        return false;
    }

    /**
     * Writes what the connection takes now, without blocking. When it takes only part, the sink
     * keeps the rest and sends it, blocking as {@link #write} does, at the next {@link #flush()},
     * which the caller makes before anything else is written.
     *
     * @param packets whole transport stream packets, read-only; the sink may keep it until the
     *     next {@link #flush()}, so its bytes must not change until then
     * @return {@code true} when all of {@code packets} was written; {@code false} when the sink
     *     keeps some of it for the next {@link #flush()}
     * @throws IOException if the client is gone or the connection fails; this ends only this client
     * @throws UnsupportedOperationException if {@link #writesWithoutBlocking()} is {@code false}
     */
    default boolean tryWrite(ByteBuffer packets) throws IOException {
        throw new UnsupportedOperationException("this sink writes only with write()");
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
