package dev.aceproxy.engine;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The body of one playback connection. Closing it closes the connection to the engine; it may be
 * closed from another thread to end a blocked read.
 */
final class PlaybackStream extends FilterInputStream {

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());

    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder bytesRead = new LongAdder();

    PlaybackStream(InputStream body, String description) {
        super(body);
        this.description = description;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            bytesRead.increment();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            bytesRead.add(n);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            LOG.log(Level.DEBUG, () -> "closing " + description + " after " + bytesRead.sum() + " bytes");
            super.close();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
