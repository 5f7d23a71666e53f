package dev.aceproxy.engine.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small read buffer in front of a connection's input. Lines (the response head, chunk sizes)
 * are read through the buffer; bulk reads first empty the buffer and then go straight to the
 * connection into the caller's array, so the stream body is not copied twice. Not thread-safe: one
 * reading thread.
 */
public final class WireInput {

    /** Size of the buffer that lines are read through. */
    public static final int BUFFER_SIZE = 8192;

    private final InputStream raw;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int position;
    private int limit;

    /**
     * Wraps a connection's input.
     *
     * @param raw the connection's input stream, read by this wrapper only
     */
    public WireInput(InputStream raw) {
        this.raw = raw;
    }

    /**
     * Reads up to {@code length} bytes: what is buffered, else one read of the connection.
     *
     * @param into where to put the bytes
     * @param offset first index to write
     * @param length most bytes to read, positive
     * @return the number of bytes read, or -1 at the end of the input
     * @throws IOException if the connection fails
     */
    public int read(byte[] into, int offset, int length) throws IOException {
        int buffered = limit - position;
        if (buffered > 0) {
            int n = Math.min(buffered, length);
            System.arraycopy(buffer, position, into, offset, n);
            position += n;
            return n;
        }
        return raw.read(into, offset, length);
    }

    /**
     * Reads one byte.
     *
     * @return the byte (0 to 255), or -1 at the end of the input
     * @throws IOException if the connection fails
     */
    public int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /**
     * Reads one line ended by CRLF (a bare LF is accepted too) and returns it without its ending,
     * as ISO-8859-1 text.
     *
     * @param maxLength the most bytes the line may have, ending included
     * @param what what the line is, for messages (as in {@code "a header line"})
     * @return the line, or null if the input ended before its first byte
     * @throws MalformedHttpException if the line is too long or holds a CR not followed by LF
     * @throws EOFException if the input ended inside the line
     * @throws IOException if the connection fails
     */
    public String readLine(int maxLength, String what) throws IOException {
        StringBuilder line = null;
        int length = 0;
        while (true) {
            if (position == limit && !fill()) {
                if (line == null) {
                    return null;
                }
                throw new EOFException("the engine's answer ended inside " + what);
            }
            if (line == null) {
                line = new StringBuilder(64);
            }
            int start = position;
            while (position < limit) {
                byte b = buffer[position];
                if (b == '\n' || b == '\r') {
                    break;
                }
                position++;
            }
            length += position - start;
            if (length >= maxLength) {
                throw new MalformedHttpException(what + " longer than " + maxLength + " bytes");
            }
            line.append(new String(buffer, start, position - start, StandardCharsets.ISO_8859_1));
            if (position == limit) {
                continue;
            }
            if (buffer[position++] == '\r') {
                int next = read();
                if (next < 0) {
                    throw new EOFException("the engine's answer ended inside " + what);
                }
                if (next != '\n') {
                    throw new MalformedHttpException(what + " holds a CR that is not followed by LF");
                }
                length++;
            }
            if (++length > maxLength) {
                throw new MalformedHttpException(what + " longer than " + maxLength + " bytes");
            }
            return line.toString();
        }
    }

    private boolean fill() throws IOException {
        int n = raw.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
