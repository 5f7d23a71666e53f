package dev.aceproxy.server.probe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A chunked body, decoded leniently (chunk extensions and trailers are skipped) but bounded: a size
 * line longer than {@link #MAX_LINE} or a size that is not hex is an {@link IOException}.
 */
final class ChunkDecoder extends InputStream {

    private static final int MAX_LINE = 1024;

    private final InputStream in;
    private long leftInChunk;
    private boolean done;

    ChunkDecoder(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (leftInChunk == 0) {
            if (done) {
                return -1;
            }
            nextChunk();
        }
        int n = in.read(into, offset, (int) Math.min(length, leftInChunk));
        if (n < 0) {
            throw new EOFException("the body ended inside a chunk");
        }
        leftInChunk -= n;
        if (leftInChunk == 0) {
            line();
        }
        return n;
    }

    private void nextChunk() throws IOException {
        String sizeLine = line();
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IOException("a chunk size that is not hex: \"" + hex + "\"");
        }
        leftInChunk = Long.parseLong(hex, 16);
        if (leftInChunk == 0) {
            done = true;
            while (!line().isEmpty()) {
                // trailer fields: not needed
            }
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the body ended inside its chunk framing");
            }
            if (b == '\n') {
                int last = line.length() - 1;
                return last >= 0 && line.charAt(last) == '\r' ? line.substring(0, last) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("a chunk framing line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }
}
