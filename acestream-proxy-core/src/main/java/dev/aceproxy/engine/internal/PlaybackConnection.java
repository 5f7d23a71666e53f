package dev.aceproxy.engine.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One plain-http connection to the engine for one playback request, read with blocking I/O on the
 * calling thread. While the response head is awaited, every read is bounded by a deadline and
 * wakes at least every {@link #INTERRUPT_CHECK_MILLIS} to notice an interrupt on a platform thread
 * (a virtual thread's blocking read is ended by the interrupt itself, which closes the socket);
 * the body is read without a time bound. {@link #close()} closes the socket exactly once and may
 * be called from any thread to end a blocked read.
 */
public final class PlaybackConnection implements Closeable {

    /** How often a read of the response head checks the reading thread's interrupt status. */
    public static final int INTERRUPT_CHECK_MILLIS = 100;

    private final Socket socket;
    private final InputStream socketIn;
    private final WireInput in;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long headDeadlineNanos;
    private volatile Runnable onClose = () -> { };

    private PlaybackConnection(Socket socket, long headDeadlineNanos) throws IOException {
        this.socket = socket;
        this.socketIn = socket.getInputStream();
        this.headDeadlineNanos = headDeadlineNanos;
        this.in = new WireInput(new HeadBoundedInput());
    }

    /**
     * Connects to the url's host and port.
     *
     * @param connectTimeout the bound on the TCP connect, positive
     * @param headDeadlineNanos the {@link System#nanoTime()} by which the response head must be in
     * @throws SocketTimeoutException if the connect took longer than {@code connectTimeout}
     * @throws IOException if the connect failed (refused, unknown host, ...)
     */
    public static PlaybackConnection open(URI uri, long connectTimeoutMillis, long headDeadlineNanos) throws IOException {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), (int) Math.clamp(connectTimeoutMillis, 1, Integer.MAX_VALUE));
            return new PlaybackConnection(socket, headDeadlineNanos);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code GET} for the url with the given header fields and {@code Connection: close}. */
    public void sendGet(URI uri, List<String> fields) throws IOException {
        StringBuilder request = new StringBuilder(256)
                .append("GET ").append(uri.getRawPath());
        if (uri.getRawQuery() != null) {
            request.append('?').append(uri.getRawQuery());
        }
        request.append(" HTTP/1.1\r\nHost: ").append(uri.getRawAuthority()).append("\r\n");
        for (String field : fields) {
            request.append(field).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /**
     * Reads the response head, skipping interim (1xx) answers.
     *
     * @throws SocketTimeoutException if the deadline passed first
     * @throws InterruptedIOException if the calling thread was interrupted
     * @throws MalformedHttpException if the head breaks HTTP/1.x or a bound
     * @throws IOException if the connection failed or ended first
     */
    public ResponseHead readHead() throws IOException {
        for (int interim = 0; ; interim++) {
            ResponseHead head = ResponseHead.read(in);
            if (head.status() >= 200 || head.status() == 101) {
                return head;
            }
            if (interim == 8) {
                throw new MalformedHttpException("more than 8 interim (1xx) answers");
            }
        }
    }

    /**
     * Returns the response body framed as the head says: chunked, {@code Content-Length}, or up
     * to the end of the connection.
     *
     * @throws MalformedHttpException if the framing fields are contradictory or unusable
     */
    public InputStream body(ResponseHead head) throws MalformedHttpException {
        List<String> transferEncodings = head.all("Transfer-Encoding");
        List<String> lengths = head.all("Content-Length");
        if (!transferEncodings.isEmpty()) {
            if (!lengths.isEmpty()) {
                throw new MalformedHttpException("both Transfer-Encoding and Content-Length");
            }
            if (transferEncodings.size() != 1 || !transferEncodings.get(0).equalsIgnoreCase("chunked")) {
                throw new MalformedHttpException("a Transfer-Encoding other than chunked: "
                        + String.join(", ", transferEncodings));
            }
            return new ChunkedBody(in);
        }
        if (!lengths.isEmpty()) {
            String first = lengths.get(0);
            for (String other : lengths) {
                if (!other.equals(first)) {
                    throw new MalformedHttpException("conflicting Content-Length fields");
                }
            }
            if (first.isEmpty() || first.length() > 18 || !first.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new MalformedHttpException("a Content-Length that is not a number: " + first);
            }
            return new LengthBody(in, Long.parseLong(first));
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                java.util.Objects.checkFromIndexSize(offset, length, into.length);
                return length == 0 ? 0 : in.read(into, offset, length);
            }
        };
    }

    /** Lifts the head deadline: from now on reads wait as long as the stream takes. */
    public void headRead() throws IOException {
        headDeadlineNanos = 0;
        socket.setSoTimeout(0);
    }

    /** Runs {@code action} once when the connection closes. */
    public void onClose(Runnable action) {
        this.onClose = action;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Closes the socket, once; ends a read blocked on another thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more can be done with a socket that fails to close
        } finally {
            onClose.run();
        }
    }

    /** The socket's input; while the head is awaited, reads are bounded by its deadline. */
    private final class HeadBoundedInput extends InputStream {

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            long deadline = headDeadlineNanos;
            if (deadline == 0) {
                return socketIn.read(into, offset, length);
            }
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while waiting for the engine's answer");
                }
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0) {
                    throw new SocketTimeoutException("no answer from the engine in time");
                }
                socket.setSoTimeout((int) Math.min(remainingMillis, INTERRUPT_CHECK_MILLIS));
                try {
                    return socketIn.read(into, offset, length);
                } catch (SocketTimeoutException slice) {
                    // the slice ended: check the interrupt and the deadline again
                }
            }
        }
    }
}
