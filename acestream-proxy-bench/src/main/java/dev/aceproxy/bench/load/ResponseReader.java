package dev.aceproxy.bench.load;

import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Follows one HTTP/1.1 response arriving in pieces: collects and parses its head, then counts the
 * body's payload bytes (chunked, length-delimited or until EOF) without copying them. Not
 * thread-safe; one instance per connection.
 */
public final class ResponseReader {

    private static final int MAX_HEAD = 16 * 1024;

    private byte[] head = new byte[512];
    private int headLength;
    private int status = -1;
    private boolean headDone;
    private ChunkedBodyDecoder chunked;
    private long contentRemaining = -1;
    private long identityPayload;
    private int identityFirstByte = -1;

    /**
     * Consumes every byte remaining in {@code in}.
     *
     * @param in the next bytes of the response
     * @return how many of them were body payload
     * @throws ProtocolException when the head is malformed or too long, or the body framing is bad
     */
    public long consume(ByteBuffer in) throws ProtocolException {
        if (!headDone) {
            while (in.hasRemaining() && !headDone) {
                if (headLength == head.length) {
                    if (head.length >= MAX_HEAD) {
                        throw new ProtocolException("response head longer than " + MAX_HEAD + " bytes");
                    }
                    head = Arrays.copyOf(head, head.length * 2);
                }
                head[headLength++] = in.get();
                if (headLength >= 4 && head[headLength - 1] == '\n' && head[headLength - 2] == '\r'
                        && head[headLength - 3] == '\n' && head[headLength - 4] == '\r') {
                    parseHead(new String(head, 0, headLength, StandardCharsets.ISO_8859_1));
                    headDone = true;
                    head = null;
                }
            }
            if (!headDone) {
                return 0;
            }
        }
        if (chunked != null) {
            return chunked.consume(in);
        }
        int n = in.remaining();
        if (contentRemaining >= 0) {
            n = (int) Math.min(n, contentRemaining);
            contentRemaining -= n;
        }
        if (n > 0 && identityFirstByte < 0) {
            identityFirstByte = in.get(in.position()) & 0xff;
        }
        in.position(in.limit());
        identityPayload += n;
        return n;
    }

    private void parseHead(String text) throws ProtocolException {
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new ProtocolException("not an HTTP/1.x status line: " + lines[0]);
        }
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad status code: " + lines[0]);
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = new ChunkedBodyDecoder();
            } else if (name.equals("content-length")) {
                try {
                    contentRemaining = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new ProtocolException("bad Content-Length: " + value);
                }
            }
        }
        if (chunked != null) {
            contentRemaining = -1;
        }
    }

    /** {@return whether the whole head has arrived} */
    public boolean headComplete() {
        return headDone;
    }

    /** {@return the status code, or -1 before the head is complete} */
    public int status() {
        return status;
    }

    /** {@return body payload bytes counted so far} */
    public long payloadBytes() {
        return chunked != null ? chunked.payloadBytes() : identityPayload;
    }

    /** {@return the first payload byte (0..255), or -1 before any} */
    public int firstPayloadByte() {
        return chunked != null ? chunked.firstPayloadByte() : identityFirstByte;
    }

    /** {@return whether the body is known to be complete (last chunk, or Content-Length reached)} */
    public boolean bodyComplete() {
        return headDone && (chunked != null ? chunked.done() : contentRemaining == 0);
    }
}
