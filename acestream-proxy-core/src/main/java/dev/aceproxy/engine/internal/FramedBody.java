package dev.aceproxy.engine.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A response body whose end is set by its framing. Subclasses read some bytes of the body; this
 * class checks the arguments and provides the single-byte read. Not thread-safe: one reading
 * thread.
 */
abstract class FramedBody extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] into, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, into.length);
        return length == 0 ? 0 : readSome(into, offset, length);
    }

    /**
     * Reads at least one and at most {@code length} bytes of the body.
     *
     * @param into where the bytes go
     * @param offset where the first goes
     * @param length at least 1
     * @return bytes read, or -1 at the body's end
     * @throws IOException if the body is cut short or malformed, or the connection fails
     */
    abstract int readSome(byte[] into, int offset, int length) throws IOException;
}
