package dev.aceproxy.server.probe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** A body of a declared length; an input that ends sooner is an {@link EOFException}. */
final class LengthLimitedInput extends InputStream {

    private final InputStream in;
    private long remaining;

    LengthLimitedInput(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        if (length == 0) {
            return 0;
        }
        int n = in.read(into, offset, (int) Math.min(length, remaining));
        if (n < 0) {
            throw new EOFException("the body ended " + remaining + " bytes before its Content-Length");
        }
        remaining -= n;
        return n;
    }
}
