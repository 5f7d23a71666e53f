package dev.aceproxy.jetty;

import java.io.IOException;
import java.io.InputStream;

/**
 * A strict reader of a chunked HTTP/1.1 body, for tests that read the wire over plain sockets:
 * every size line, chunk end and the last chunk must follow the grammar exactly, or the read fails.
 * Returns the body's bytes; end of stream once the last chunk was read.
 */
final class ChunkedBody extends InputStream {

    private final InputStream in;
    private int left;
    private boolean sawLastChunk;

    ChunkedBody(InputStream in) {
        this.in = in;
    }

    /** Tells whether the body's last chunk ({@code 0\r\n\r\n}) was read. */
    boolean sawLastChunk() {
        return sawLastChunk;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (sawLastChunk) {
            return -1;
        }
        if (left == 0) {
            left = sizeLine();
            if (left == 0) {
                expect('\r');
                expect('\n');
                sawLastChunk = true;
                return -1;
            }
        }
        int n = in.read(b, off, Math.min(len, left));
        if (n < 0) {
            throw new IOException("the connection closed inside a chunk");
        }
        left -= n;
        if (left == 0) {
            expect('\r');
            expect('\n');
        }
        return n;
    }

    private int sizeLine() throws IOException {
        StringBuilder hex = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0 || Character.digit(c, 16) < 0 || hex.length() > 8) {
                throw new IOException("not a chunk size line: '" + hex + "' then " + c);
            }
            hex.append((char) c);
        }
        expect('\n');
        if (hex.isEmpty()) {
            throw new IOException("an empty chunk size line");
        }
        long size = Long.parseLong(hex.toString(), 16);
        if (size > Integer.MAX_VALUE) {
            throw new IOException("a chunk too large for a test: " + hex);
        }
        return (int) size;
    }

    private void expect(char wanted) throws IOException {
        int c = in.read();
        if (c != wanted) {
            throw new IOException("expected " + (int) wanted + " in the chunk framing, got " + c);
        }
    }
}
