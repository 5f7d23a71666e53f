package dev.aceproxy.engine.internal;

import dev.aceproxy.internal.AsciiHex;
import java.io.EOFException;
import java.io.IOException;

/**
 * The body of a {@code Transfer-Encoding: chunked} response, decoded. Chunk sizes are 1 to
 * {@link #MAX_SIZE_DIGITS} hex digits with optional extensions (ignored) on a line of at most
 * {@link #MAX_SIZE_LINE_BYTES}; each chunk's data must be followed by CRLF; the trailer after the
 * last chunk is read under the same bounds as a head and dropped. Anything else is a
 * {@link MalformedHttpException}. An input that ends before the last chunk is an
 * {@link EOFException}: the body was cut, not finished. Not thread-safe: one reading thread.
 */
public final class ChunkedBody extends FramedBody {

    /** The longest chunk-size line, extensions and ending included. */
    public static final int MAX_SIZE_LINE_BYTES = 1024;
    /** The most hex digits in a chunk size (15 keeps it below {@code Long.MAX_VALUE}). */
    public static final int MAX_SIZE_DIGITS = 15;

    private final WireInput in;
    private long remainingInChunk;
    private boolean chunkEndPending;
    private boolean finished;

    /**
     * Decodes the chunked body that starts at the input's position.
     *
     * @param in the connection's input, just after the response head
     */
    public ChunkedBody(WireInput in) {
        this.in = in;
    }

    @Override
    int readSome(byte[] into, int offset, int length) throws IOException {
        if (remainingInChunk == 0) {
            if (finished) {
                return -1;
            }
            if (chunkEndPending) {
                // checked lazily so that a read never waits for more than the data it returns
                endOfChunkData();
                chunkEndPending = false;
            }
            if (!nextChunk()) {
                return -1;
            }
        }
        int n = in.read(into, offset, (int) Math.min(length, remainingInChunk));
        if (n < 0) {
            throw new EOFException("the engine's chunked body ended in the middle of a chunk, "
                    + remainingInChunk + " bytes short");
        }
        remainingInChunk -= n;
        chunkEndPending = remainingInChunk == 0;
        return n;
    }

    /** Reads the next chunk-size line; false after the last chunk and its trailer. */
    private boolean nextChunk() throws IOException {
        String line = in.readLine(MAX_SIZE_LINE_BYTES, "a chunk-size line");
        if (line == null) {
            throw new EOFException("the engine's chunked body ended without its last chunk");
        }
        long size = parseSize(line);
        if (size == 0) {
            readTrailer();
            finished = true;
            return false;
        }
        remainingInChunk = size;
        return true;
    }

    private void endOfChunkData() throws IOException {
        int c = in.read();
        if (c == '\r') {
            c = in.read();
        }
        if (c < 0) {
            throw new EOFException("the engine's chunked body ended without its last chunk");
        }
        if (c != '\n') {
            throw new MalformedHttpException("a chunk's data is not followed by CRLF");
        }
    }

    private void readTrailer() throws IOException {
        int bytes = 0;
        for (int fields = 0; ; fields++) {
            String line = in.readLine(ResponseHead.MAX_LINE_BYTES, "a trailer line");
            if (line == null) {
                throw new EOFException("the engine's chunked body ended inside its trailer");
            }
            if (line.isEmpty()) {
                return;
            }
            bytes += line.length() + 2;
            if (fields == ResponseHead.MAX_FIELDS || bytes > ResponseHead.MAX_HEAD_BYTES) {
                throw new MalformedHttpException("a chunked trailer larger than " + ResponseHead.MAX_FIELDS
                        + " fields or " + ResponseHead.MAX_HEAD_BYTES + " bytes");
            }
        }
    }

    /** Parses {@code 1*HEXDIG [ BWS ";" chunk-ext ]}. */
    static long parseSize(String line) throws MalformedHttpException {
        int digits = 0;
        long size = 0;
        while (digits < line.length()) {
            int d = AsciiHex.value(line.charAt(digits));
            if (d < 0) {
                break;
            }
            if (++digits > MAX_SIZE_DIGITS) {
                throw new MalformedHttpException("a chunk size of more than " + MAX_SIZE_DIGITS + " hex digits");
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            throw new MalformedHttpException("a chunk-size line that does not start with a hex size: \""
                    + ResponseHead.printable(line) + "\"");
        }
        int i = digits;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (i < line.length() && line.charAt(i) != ';') {
            throw new MalformedHttpException("a chunk-size line with text after the size: \""
                    + ResponseHead.printable(line) + "\"");
        }
        return size;
    }
}
