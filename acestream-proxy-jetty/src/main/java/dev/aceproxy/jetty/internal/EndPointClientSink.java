package dev.aceproxy.jetty.internal;

import dev.aceproxy.fanout.ClientSink;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * One player's HTTP/1 response body written straight to its connection's end point: the response
 * head goes out through the servlet response (so Jetty frames it, and chooses the body's framing)
 * at the first write, and every write after it is one gathering write on the socket, framed as
 * Jetty chose: as an HTTP/1.1 chunk, or as raw bytes when the body ends with the connection (HTTP/1.0,
 * or a request that asked to close). It costs a player one system call per chunk and none of the
 * servlet output's per-write bookkeeping. When the stream is over the servlet returns and Jetty
 * ends the response as usual: the last chunk, or closing the connection.
 *
 * <p>It {@linkplain #tryWrite writes without blocking} too: while the player keeps up, the thread
 * that hands out the stream writes to its socket directly, and the player's own thread is woken
 * only for what the socket did not take.
 *
 * <p>Nothing is written before the first chunk, so a stream that fails before any data can still
 * be answered with an error. Written by one thread at a time, as {@link ClientSink} says;
 * {@link #close()} may come from any thread, and if a write is waiting at that moment (a player that stopped
 * reading) the connection is aborted so the write fails at once. Closing does not complete the
 * response: the servlet decides whether it ends cleanly or the connection is aborted.
 */
public final class EndPointClientSink implements ClientSink {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final HttpServletResponse response;
    private final HttpGenerator generator;
    private final EndPoint endPoint;
    private final BlockingEndPointWrite writes;
    private final WriteGate gate;
    // Used by one thread at a time, as ClientSink says (the hand-over between the writer and a
    // handing-out thread is an atomic claim): whether the head is out, and how the body is framed.
    private boolean committed;
    private boolean chunked;
    // A chunk's size line and the line end after its data; outside the heap, so that the gathering
    // write needs no copy of them.
    private final ByteBuffer chunkSize = ByteBuffer.allocateDirect(10);
    private final ByteBuffer chunkEnd = ByteBuffer.allocateDirect(2).put((byte) '\r').put((byte) '\n');
    // What a tryWrite left for the next flush: packets not yet framed (before the head is out), or
    // the unwritten rest of a framed write. At most one of them is set.
    private ByteBuffer keptPackets;
    private ByteBuffer[] keptRest;

    private EndPointClientSink(HttpServletResponse response, HttpConnection connection, Runnable abortConnection) {
        this.response = response;
        this.generator = connection.getGenerator();
        this.endPoint = connection.getEndPoint();
        this.writes = new BlockingEndPointWrite(endPoint);
        this.gate = new WriteGate(abortConnection);
    }

    /**
     * Returns a sink that writes to the request's connection directly when it is Jetty's HTTP/1
     * connection, or else a {@link ServletClientSink} on the response's output stream (HTTP/2, or
     * a container this class does not know).
     *
     * @param request the player's request
     * @param response its response, with the success status and headers set and nothing written
     * @param abortConnection aborts the client's connection; must be callable from any thread
     * @return the player's sink
     * @throws IOException if the response's output stream cannot be had
     */
    public static ClientSink of(HttpServletRequest request, HttpServletResponse response, Runnable abortConnection)
            throws IOException {
        Objects.requireNonNull(abortConnection, "abortConnection");
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(request);
        Connection connection = jettyRequest == null ? null
                : jettyRequest.getConnectionMetaData().getConnection();
        if (connection instanceof HttpConnection http) {
            return new EndPointClientSink(response, http, abortConnection);
        }
        return new ServletClientSink(response.getOutputStream(), response.getBufferSize(), abortConnection);
    }

    /**
     * Writes whole packets; blocks while the client's socket is full. The first write sends the
     * response head first.
     *
     * @param packets read-only packets, not kept after return
     * @throws IOException if the sink is closed or the client is gone
     */
    @Override
    public void write(ByteBuffer packets) throws IOException {
        gate.enter();
        try {
            sendKept();
            send(packets);
        } finally {
            gate.leave();
        }
    }

    /**
     * Sends what the last {@link #tryWrite} kept, blocking while the client's socket is full;
     * nothing else is ever held back.
     *
     * @throws IOException if the sink is closed or the client is gone
     */
    @Override
    public void flush() throws IOException {
        if (keptPackets == null && keptRest == null) {
            return;
        }
        gate.enter();
        try {
            sendKept();
        } finally {
            gate.leave();
        }
    }

    /** Offered: a write the socket takes at once costs no thread switch. */
    @Override
    public boolean writesWithoutBlocking() {
        return true;
    }

    /**
     * Writes what the socket takes now, and keeps the rest for {@link #flush()}. Before the
     * response head is out, it keeps it all: the head goes out at the next flush, blocking.
     *
     * @param packets read-only packets of an immutable chunk; kept until the next flush
     * @return whether all of it was written
     * @throws IOException if the sink is closed or the client is gone
     */
    @Override
    public boolean tryWrite(ByteBuffer packets) throws IOException {
        gate.enter();
        try {
            if (keptPackets != null || keptRest != null) {
                throw new IllegalStateException("tryWrite before the kept rest was flushed");
            }
            int length = packets.remaining();
            if (length == 0) {
                return true;
            }
            if (!committed) {
                keptPackets = packets;
                return false;
            }
            ByteBuffer[] framed = chunked
                    ? new ByteBuffer[] {sizeLine(length), packets, chunkEnd.clear()}
                    : new ByteBuffer[] {packets};
            if (endPoint.flush(framed)) {
                return true;
            }
            keptRest = framed;
            return false;
        } finally {
            gate.leave();
        }
    }

    private void sendKept() throws IOException {
        if (keptPackets != null) {
            ByteBuffer packets = keptPackets;
            keptPackets = null;
            send(packets);
        } else if (keptRest != null) {
            ByteBuffer[] rest = keptRest;
            keptRest = null;
            writes.write(rest);
        }
    }

    private void send(ByteBuffer packets) throws IOException {
        if (!committed) {
            response.flushBuffer();
            chunked = generator.isChunking();
            committed = true;
        }
        int length = packets.remaining();
        if (length == 0) {
            return;
        }
        if (chunked) {
            writes.write(sizeLine(length), packets, chunkEnd.clear());
        } else {
            writes.write(packets);
        }
    }

    /**
     * Closes the sink; a write in progress is ended by aborting the connection. Idempotent.
     */
    @Override
    public void close() {
        gate.close();
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return gate.isClosed();
    }

    private ByteBuffer sizeLine(int length) {
        ByteBuffer line = chunkSize.clear();
        int shift = 28;
        while (shift > 0 && (length >>> shift) == 0) {
            shift -= 4;
        }
        for (; shift >= 0; shift -= 4) {
            line.put(HEX[(length >>> shift) & 0xf]);
        }
        return line.put((byte) '\r').put((byte) '\n').flip();
    }

}
