package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.AceEngineClient;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The body of one playback connection. Closing it closes the connection to the engine, once; it
 * may be closed from another thread to end a blocked read. A read that fails because its thread
 * was interrupted closes the connection too.
 */
public final class PlaybackInput extends FilterInputStream {

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());

    private final Closeable connection;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder bytesRead = new LongAdder();

    /**
     * @param body the decoded body
     * @param connection what to close when the stream closes (the connection under the body)
     * @param description what is played from where, for logs
     */
    public PlaybackInput(InputStream body, Closeable connection, String description) {
        super(body);
        this.connection = connection;
        this.description = description;
    }

    @Override
    public int read() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                bytesRead.increment();
            }
            return b;
        } catch (IOException e) {
            throw closedIfInterrupted(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                bytesRead.add(n);
            }
            return n;
        } catch (IOException e) {
            throw closedIfInterrupted(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            LOG.log(Level.DEBUG, () -> "closing " + description + " after " + bytesRead.sum() + " bytes");
            connection.close();
        }
    }

    private IOException closedIfInterrupted(IOException e) {
        if (Thread.currentThread().isInterrupted()) {
            try {
                close();
            } catch (IOException ignored) {
                e.addSuppressed(ignored);
            }
        }
        return e;
    }

    @Override
    public String toString() {
        return description;
    }
}
