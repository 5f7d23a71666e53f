package dev.aceproxy.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection of the load tool: the request it sends, the response it follows and the
 * figures it yields. Its I/O happens on the one selector thread that owns it; the figures are
 * {@code volatile} so the coordinating thread can read them at any time.
 */
public final class StreamConnection {

    /** How a connection ended, or that it has not. */
    public enum Outcome {
        /** Still open. */
        OPEN,
        /** The server ended the response (EOF, or the last chunk). */
        ENDED_BY_SERVER,
        /** The connection failed (refused, reset, bad HTTP, a status other than 200). */
        FAILED,
        /** The tool closed it. */
        CLOSED
    }

    private final long id;
    private final ClientRole role;
    private final ByteBuffer request;
    private final int receiveBufferBytes;
    private final ResponseReader reader = new ResponseReader();

    private volatile SocketChannel channel;
    private volatile long connectStartNanos;
    private volatile long firstPayloadNanos = -1;
    private volatile long payloadBytes;
    private volatile Outcome outcome = Outcome.OPEN;
    private volatile String failure;

    StreamConnection(long id, ClientRole role, String host, int port, String path, int receiveBufferBytes) {
        this.id = id;
        this.role = role;
        this.receiveBufferBytes = receiveBufferBytes;
        String text = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nUser-Agent: aceproxy-load/1\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        this.request = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** {@return this connection's sequence number} */
    public long id() {
        return id;
    }

    /** {@return what the connection is for} */
    public ClientRole role() {
        return role;
    }

    /** {@return payload bytes received so far} */
    public long payloadBytes() {
        return payloadBytes;
    }

    /** {@return nanoseconds from starting the connect to the first payload byte, or -1 before it} */
    public long timeToFirstByteNanos() {
        long first = firstPayloadNanos;
        return first < 0 ? -1 : first - connectStartNanos;
    }

    /** {@return whether the first payload byte has arrived} */
    public boolean hasFirstByte() {
        return firstPayloadNanos >= 0;
    }

    /** {@return whether the body started with an MPEG-TS sync byte (false before any byte)} */
    public boolean startedOnSyncByte() {
        return reader.firstPayloadByte() == 0x47;
    }

    /** {@return how the connection ended, or {@code OPEN}} */
    public Outcome outcome() {
        return outcome;
    }

    /** {@return why the connection failed, or null} */
    public String failure() {
        return failure;
    }

    int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    void started(SocketChannel channel, long nanos) {
        this.channel = channel;
        this.connectStartNanos = nanos;
    }

    SocketChannel channel() {
        return channel;
    }

    ByteBuffer request() {
        return request;
    }

    /**
     * Feeds received bytes; called on the owning selector thread only.
     *
     * @return false when the response is over (a bad status or the end of the body)
     */
    boolean accept(ByteBuffer bytes) throws IOException {
        long before = reader.payloadBytes();
        reader.consume(bytes);
        long after = reader.payloadBytes();
        if (after != before) {
            if (before == 0) {
                firstPayloadNanos = System.nanoTime();
            }
            payloadBytes = after;
        }
        if (reader.headComplete() && reader.status() != 200) {
            fail("HTTP status " + reader.status());
            return false;
        }
        if (reader.bodyComplete()) {
            end(Outcome.ENDED_BY_SERVER, null);
            return false;
        }
        return true;
    }

    void fail(String why) {
        end(Outcome.FAILED, why);
    }

    void end(Outcome how, String why) {
        if (outcome == Outcome.OPEN) {
            failure = why;
            outcome = how;
        }
        closeChannel();
    }

    /** Closes the connection from any thread; idempotent. */
    public void close() {
        end(Outcome.CLOSED, null);
    }

    private void closeChannel() {
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a socket we are done with; nothing left to report
            }
        }
    }
}
