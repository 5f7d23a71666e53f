package dev.aceproxy.bench.load;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * Counts the payload of an HTTP/1.1 chunked body as it arrives, without copying it: only the
 * chunk-size lines are looked at byte by byte, the data between them is skipped by arithmetic.
 * Not thread-safe; one instance per response.
 */
public final class ChunkedBodyDecoder {

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, DONE }

    private State state = State.SIZE;
    private long chunkRemaining;
    private int sizeDigits;
    private long payloadBytes;
    private int firstPayloadByte = -1;

    /**
     * Consumes every byte remaining in {@code in} (its position ends at its limit).
     *
     * @param in the next bytes of the body
     * @return how many of them were payload
     * @throws ProtocolException when the framing is not valid chunked encoding
     */
    public long consume(ByteBuffer in) throws ProtocolException {
        long payload = 0;
        while (in.hasRemaining()) {
            switch (state) {
                case SIZE -> {
                    byte b = in.get();
                    int digit = Character.digit(b, 16);
                    if (digit >= 0) {
                        if (++sizeDigits > 15) {
                            throw new ProtocolException("chunk size too long");
                        }
                        chunkRemaining = chunkRemaining * 16 + digit;
                    } else if (sizeDigits == 0) {
                        throw new ProtocolException("chunk size expected, got byte " + (b & 0xff));
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        state = State.EXTENSION;
                    } else if (b == '\r') {
                        state = State.SIZE_LF;
                    } else if (b == '\n') {
                        endOfSizeLine();
                    } else {
                        throw new ProtocolException("bad byte in chunk size: " + (b & 0xff));
                    }
                }
                case EXTENSION -> {
                    byte b = in.get();
                    if (b == '\n') {
                        endOfSizeLine();
                    }
                }
                case SIZE_LF -> {
                    if (in.get() != '\n') {
                        throw new ProtocolException("LF expected after chunk size");
                    }
                    endOfSizeLine();
                }
                case DATA -> {
                    int n = (int) Math.min(chunkRemaining, in.remaining());
                    if (firstPayloadByte < 0) {
                        firstPayloadByte = in.get(in.position()) & 0xff;
                    }
                    in.position(in.position() + n);
                    chunkRemaining -= n;
                    payload += n;
                    if (chunkRemaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> {
                    byte b = in.get();
                    if (b == '\r') {
                        state = State.DATA_LF;
                    } else if (b == '\n') {
                        state = State.SIZE;
                    } else {
                        throw new ProtocolException("CRLF expected after chunk data");
                    }
                }
                case DATA_LF -> {
                    if (in.get() != '\n') {
                        throw new ProtocolException("LF expected after chunk data");
                    }
                    state = State.SIZE;
                }
                case DONE -> in.position(in.limit()); // trailers: not needed
            }
        }
        payloadBytes += payload;
        return payload;
    }

    private void endOfSizeLine() {
        sizeDigits = 0;
        state = chunkRemaining == 0 ? State.DONE : State.DATA;
    }

    /** {@return whether the last (zero-size) chunk has been seen} */
    public boolean done() {
        return state == State.DONE;
    }

    /** {@return payload bytes counted so far} */
    public long payloadBytes() {
        return payloadBytes;
    }

    /** {@return the first payload byte (0..255), or -1 before any} */
    public int firstPayloadByte() {
        return firstPayloadByte;
    }
}
