package dev.aceproxy.jetty;

import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A player on a raw socket that sends the {@code User-Agent} it is given, whatever it holds, and
 * keeps reading the (chunked) stream on a virtual thread (keeping its first {@value #KEPT} bytes for the
 * oracle) until it is closed.
 */
final class UserAgentPlayer implements AutoCloseable {

    private static final int KEPT = 4 * 1024 * 1024;

    private final Socket socket;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final Thread reader;
    private long received;

    private UserAgentPlayer(Socket socket, InputStream in) {
        this.socket = socket;
        this.reader = Thread.ofVirtual().name("ua-player").start(() -> read(in));
    }

    /** Opens {@code target} as {@code userAgent}; fails unless the answer is a 200 stream. */
    static UserAgentPlayer open(int port, String target, String userAgent) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        try {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: " + userAgent + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String text = RawHttp.readHead(in);
            if (!text.startsWith("HTTP/1.1 200") || !text.toLowerCase(java.util.Locale.ROOT)
                    .contains("transfer-encoding: chunked")) {
                throw new IOException("not a chunked stream: " + text);
            }
            return new UserAgentPlayer(socket, in);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads the chunked body, strictly framed, until the last chunk or the connection's end. */
    private void read(InputStream in) {
        byte[] buffer = new byte[64 * 1024];
        ChunkedBody body = new ChunkedBody(in);
        try {
            int n;
            while ((n = body.read(buffer, 0, buffer.length)) >= 0) {
                synchronized (this) {
                    received += n;
                    kept.write(buffer, 0, Math.min(n, Math.max(0, KEPT - kept.size())));
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // closed by the test, or by the server: the test checks what arrived
        }
    }

    /** Waits until at least {@code bytes} bytes have arrived; false if they did not in time. */
    synchronized boolean awaitBytes(long bytes, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (received < bytes) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Checks every whole packet kept so far against the bundled clip, from an entry point. */
    void assertFollowsSource() {
        byte[] bytes;
        synchronized (this) {
            bytes = kept.toByteArray();
        }
        StreamOracle.ofBundledClip().verify(Arrays.copyOf(bytes, bytes.length - bytes.length % 188),
                StreamExpectation.fromAnEntryPoint());
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
