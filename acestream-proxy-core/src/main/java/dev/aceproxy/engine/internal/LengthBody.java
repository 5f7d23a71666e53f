package dev.aceproxy.engine.internal;

import java.io.EOFException;
import java.io.IOException;

/**
 * The body of a response with a {@code Content-Length}: exactly that many bytes. An input that
 * ends sooner is an {@link EOFException}: the body was cut. Not thread-safe: one reading thread.
 */
public final class LengthBody extends FramedBody {

    private final WireInput in;
    private long remaining;

    /**
     * Reads {@code length} bytes of body from the input's position.
     *
     * @param in the connection's input, just after the response head
     * @param length the declared length, not negative
     */
    public LengthBody(WireInput in, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative body length " + length);
        }
        this.in = in;
        this.remaining = length;
    }

    @Override
    int readSome(byte[] into, int offset, int length) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(into, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("the engine's body ended " + remaining + " bytes before its Content-Length");
        }
        remaining -= n;
        return n;
    }
}
