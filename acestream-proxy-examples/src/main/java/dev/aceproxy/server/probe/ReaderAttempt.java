package dev.aceproxy.server.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reader of a playback url and what it got: the head, the time to it, and the first bytes of
 * the body (a broken answer shows there as text, such as a second status line).
 *
 * @param connection the open connection, or null when none could be opened; the caller closes it
 * @param body the framed body, or null
 * @param record what was seen, for the report
 * @param streaming whether the answer is a 200 whose body is flowing
 */
record ReaderAttempt(WireConnection connection, InputStream body, Map<String, Object> record, boolean streaming) {

    /** The most bytes of a body start recorded: two packets. */
    static final int FIRST_BYTES = 376;

    /**
     * Opens a reader (following redirects on the engine) and records its head and first bytes.
     *
     * @param headTimeout bound on the head
     * @param firstBytesWait bound on the wait for the first bytes once the head is in
     * @throws IOException if the engine cannot be reached at all
     */
    static ReaderAttempt open(WireClient wire, URI url, URI engine, Duration headTimeout, Duration firstBytesWait)
            throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("url", url.toString());
        record.put("at_ms", wire.clock().millis());
        List<Object> redirects = new ArrayList<>();
        record.put("redirects", redirects);
        long opened = System.nanoTime();
        WireConnection connection;
        try {
            connection = wire.openFollowing(url, headTimeout, engine, redirects);
        } catch (SocketTimeoutException e) {
            record.put("head", "none: " + e.getMessage());
            return new ReaderAttempt(null, null, record, false);
        }
        record.put("head_ms", ProbeClock.millisSince(opened));
        record.putAll(connection.head().toReport());
        InputStream body = connection.body();
        long started = System.nanoTime();
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        String end = "got " + FIRST_BYTES + " bytes";
        try {
            byte[] buffer = new byte[FIRST_BYTES];
            long deadline = started + firstBytesWait.toNanos();
            while (first.size() < FIRST_BYTES) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    end = "timeout";
                    break;
                }
                connection.readTimeout(Duration.ofMillis(left));
                int n = body.read(buffer, 0, FIRST_BYTES - first.size());
                if (n < 0) {
                    end = "eof";
                    break;
                }
                if (first.size() == 0) {
                    record.put("first_byte_ms", ProbeClock.millisSince(started));
                }
                first.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            end = "timeout";
        } catch (IOException e) {
            end = "failed: " + e;
        }
        byte[] bytes = first.toByteArray();
        record.put("first_bytes", bytes.length);
        record.put("first_bytes_end", end);
        record.put("first_bytes_hex", HexFormat.of().formatHex(bytes));
        record.put("first_bytes_text", printable(bytes));
        boolean streaming = connection.head().status() == 200 && bytes.length > 0
                && !end.equals("eof") && !end.startsWith("failed");
        record.put("streaming", streaming);
        return new ReaderAttempt(connection, body, record, streaming);
    }

    /** The bytes as ISO-8859-1 text with anything unprintable but CR and LF shown as {@code .}. */
    static String printable(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '\r' || c == '\n' || (c >= 0x20 && c < 0x7f) ? c : '.');
        }
        return out.toString();
    }

    /** Closes the connection, if there is one. */
    void close() {
        if (connection != null) {
            connection.close();
        }
    }
}
