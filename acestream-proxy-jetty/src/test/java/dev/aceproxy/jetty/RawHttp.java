package dev.aceproxy.jetty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends requests byte for byte over a plain socket, so that tests can put on the wire what no
 * well-behaved client would (broken escapes, raw non-UTF-8 bytes, oversized lines).
 */
final class RawHttp {

    /** A whole answer read until the server closed the connection. */
    record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** Reading stops here: an answer this long is a stream, and the test only needs its head. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private RawHttp() {
    }

    /** Sends {@code GET target} with {@code Connection: close} and reads the whole answer. */
    static Answer get(int port, String target) throws IOException {
        return exchange(port, ("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Sends raw bytes and reads the whole answer (the server must close or answer with a length). */
    static Answer exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends raw bytes from a chosen loopback source address (any of 127.0.0.0/8), so that tests
     * can act as many clients, and reads the whole answer.
     */
    static Answer exchangeFrom(String localAddress, int port, byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /** Reads a response head up to and including its blank line; fails if the connection closes first. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed inside a response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads one answer: to its content length, to EOF, or to {@link #MAX_ANSWER_BYTES} (a stream). */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while (all.size() < MAX_ANSWER_BYTES && (n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
                if (complete(all)) {
                    break;
                }
            }
        } catch (SocketException e) {
            // A reset after the answer: what was read counts.
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Answer(-1, text, "");
        }
        return new Answer(Integer.parseInt(text.substring(9, 12)), text.substring(0, end),
                new String(all.toByteArray(), end + 4, all.size() - end - 4, StandardCharsets.UTF_8));
    }

    private static boolean complete(ByteArrayOutputStream all) {
        if (all.size() > MAX_ANSWER_BYTES) {
            return true;
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String lower = text.substring(0, end).toLowerCase(Locale.ROOT);
        int at = lower.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int eol = lower.indexOf("\r\n", at);
        long length = Long.parseLong(lower.substring(at + 15, eol < 0 ? lower.length() : eol).trim());
        return all.size() - end - 4 >= length;
    }

    /** Waits until the server closes the socket; returns the milliseconds it took, or -1 on timeout. */
    static long millisUntilClosed(Socket socket, long maxMillis) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout(100);
        byte[] buffer = new byte[1024];
        while ((System.nanoTime() - start) / 1_000_000 < maxMillis) {
            try {
                if (socket.getInputStream().read(buffer) < 0) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (SocketException e) {
                return (System.nanoTime() - start) / 1_000_000;
            }
        }
        return -1;
    }
}
