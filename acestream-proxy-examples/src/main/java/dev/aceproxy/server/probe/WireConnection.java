package dev.aceproxy.server.probe;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocketFactory;

/**
 * One request to the engine over a socket of its own: sends a {@code GET}, reads the answer's head
 * leniently ({@link RecordedHead}), and hands out the body framed as the head says. Reads are
 * bounded by a socket timeout the caller sets. {@link #close()} may be called from any thread and
 * ends a blocked read.
 */
final class WireConnection implements Closeable {

    /** The largest head read; an engine head is a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    private final Socket socket;
    private final PushbackInputStream in;
    private final String request;
    private final RecordedHead head;
    private final long headNanos;
    private final int bytesAfterHead;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WireConnection(Socket socket, PushbackInputStream in, String request, RecordedHead head, long headNanos,
                           int bytesAfterHead) {
        this.socket = socket;
        this.in = in;
        this.request = request;
        this.head = head;
        this.headNanos = headNanos;
        this.bytesAfterHead = bytesAfterHead;
    }

    /**
     * Connects, sends {@code GET uri} and reads the answer's head.
     *
     * @param headTimeout bound on everything up to the end of the head, connect included
     * @throws SocketTimeoutException if the connect or the head took longer
     * @throws IOException if the connect failed or the connection broke before any answer
     */
    static WireConnection open(URI uri, String userAgent, Duration connectTimeout, Duration headTimeout)
            throws IOException {
        long started = System.nanoTime();
        long deadline = started + headTimeout.toNanos();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port),
                    (int) Math.max(1, Math.min(connectTimeout.toMillis(), headTimeout.toMillis())));
            if (https) {
                socket = ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, host, port, true);
            }
            String request = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    + " HTTP/1.1\r\nHost: " + uri.getRawAuthority() + "\r\nUser-Agent: " + userAgent
                    + "\r\nAccept-Encoding: identity\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            PushbackInputStream in = new PushbackInputStream(socket.getInputStream(), MAX_HEAD_BYTES);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int end = -1;
            while (end < 0 && received.size() < MAX_HEAD_BYTES) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0) {
                    throw new SocketTimeoutException("no complete answer head within " + headTimeout.toMillis()
                            + " ms (" + received.size() + " bytes arrived)");
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remaining));
                int n;
                try {
                    n = in.read(buffer, 0, Math.min(buffer.length, MAX_HEAD_BYTES - received.size()));
                } catch (SocketTimeoutException e) {
                    throw new SocketTimeoutException("no complete answer head within " + headTimeout.toMillis()
                            + " ms (" + received.size() + " bytes arrived)");
                }
                if (n < 0) {
                    break;
                }
                received.write(buffer, 0, n);
                end = headEnd(received.toByteArray());
            }
            byte[] all = received.toByteArray();
            if (all.length == 0) {
                throw new EOFException("the engine closed the connection without answering");
            }
            boolean complete = end >= 0;
            int headLength = complete ? end : all.length;
            byte[] headBytes = java.util.Arrays.copyOf(all, headLength);
            int after = all.length - headLength;
            if (after > 0) {
                in.unread(all, headLength, after);
            }
            return new WireConnection(socket, in, request, RecordedHead.parse(headBytes, complete),
                    System.nanoTime() - started, after);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The index just after the empty line that ends a head, or -1. */
    private static int headEnd(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (i + 1 < bytes.length && bytes[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < bytes.length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /** The request sent, as text. */
    String request() {
        return request;
    }

    RecordedHead head() {
        return head;
    }

    /** Milliseconds from the start of the connect to the end of the head. */
    long headMillis() {
        return TimeUnit.NANOSECONDS.toMillis(headNanos);
    }

    /** Bytes that arrived with the head, in the same reads: the start of the body. */
    int bytesAfterHead() {
        return bytesAfterHead;
    }

    /** Bounds every later read; zero waits for ever. */
    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** The body, framed as the head says; a bare head's body runs to the close. */
    InputStream body() {
        return switch (head.framing()) {
            case CONTENT_LENGTH -> new LengthLimitedInput(in, head.contentLength().orElseThrow());
            case CHUNKED -> new ChunkDecoder(in);
            case CLOSE_DELIMITED, NONE -> in;
        };
    }

    /**
     * Reads the whole body, at most {@code maxBytes} of it and within {@code timeout}. Never throws:
     * how the body ended is part of the record.
     */
    RecordedBody readBody(int maxBytes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        InputStream framed = body();
        byte[] buffer = new byte[8192];
        try {
            while (body.size() < maxBytes) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0) {
                    return new RecordedBody(body.toByteArray(), false, "timeout");
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remaining));
                int n = framed.read(buffer, 0, Math.min(buffer.length, maxBytes - body.size()));
                if (n < 0) {
                    String end = switch (head.framing()) {
                        case CONTENT_LENGTH -> "content-length";
                        case CHUNKED -> "last-chunk";
                        default -> "close";
                    };
                    return new RecordedBody(body.toByteArray(), false, end);
                }
                body.write(buffer, 0, n);
            }
            return new RecordedBody(body.toByteArray(), true, "bound");
        } catch (SocketTimeoutException e) {
            return new RecordedBody(body.toByteArray(), false, "timeout");
        } catch (IOException e) {
            return new RecordedBody(body.toByteArray(), false, "failed: " + e);
        }
    }

    /**
     * Waits a little after a body framed by length or chunks for what the engine does with the
     * connection: {@code closed}, {@code kept open}, {@code reset} or {@code sent more bytes}.
     */
    String connectionAfterBody(Duration wait) {
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            int next = in.read();
            return next < 0 ? "closed" : "sent more bytes";
        } catch (SocketTimeoutException e) {
            return "kept open";
        } catch (IOException e) {
            return "reset (" + e.getMessage() + ")";
        }
    }

    /** Closes the socket, once; ends a read blocked on another thread. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that was wanted
            }
        }
    }
}
