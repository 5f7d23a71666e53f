package dev.aceproxy.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Strict, bounded reader of an HTTP/1.x request head: CRLF line ends, a size limit on every line and
 * on the whole head, a limit on the number of headers. Request bodies are not read.
 */
final class HttpRequestParser {

    /** Longest request line; longer answers 414. */
    static final int MAX_REQUEST_LINE = 8 * 1024;
    /** Longest header block; longer answers 431. */
    static final int MAX_HEAD = 32 * 1024;
    /** Most header fields; more answers 431. */
    static final int MAX_HEADERS = 100;

    private HttpRequestParser() {
    }

    /**
     * Reads one request head.
     *
     * @param in the connection's input, buffered
     * @return the request
     * @throws BadRequestException if the head is malformed or too large
     * @throws EOFException if the peer closed before a whole head arrived
     * @throws IOException if reading fails
     */
    static HttpRequest read(InputStream in) throws IOException {
        String requestLine = readLine(in, MAX_REQUEST_LINE, 414);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[0].chars().allMatch(HttpRequestParser::isTokenChar)) {
            throw new BadRequestException(400, "malformed request line");
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new BadRequestException(505, "unsupported protocol " + parts[2]);
        }
        String target = parts[1];
        if (!target.startsWith("/")) {
            throw new BadRequestException(400, "request target must be a path");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int headBytes = requestLine.length();
        int fields = 0;
        while (true) {
            String line = readLine(in, MAX_HEAD - headBytes, 431);
            headBytes += line.length() + 2;
            if (line.isEmpty()) {
                break;
            }
            if (++fields > MAX_HEADERS) {
                throw new BadRequestException(431, "too many header fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !line.substring(0, colon).chars().allMatch(HttpRequestParser::isTokenChar)) {
                throw new BadRequestException(400, "malformed header field");
            }
            headers.putIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String rawQuery = question < 0 ? "" : target.substring(question + 1);
        return new HttpRequest(parts[0], decode(rawPath, false), parseQuery(rawQuery), headers);
    }

    private static Map<String, String> parseQuery(String raw) throws BadRequestException {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            query.putIfAbsent(name, value);
        }
        return query;
    }

    private static String decode(String raw, boolean plusIsSpace) throws BadRequestException {
        try {
            return URLDecoder.decode(plusIsSpace ? raw : raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(400, "bad percent-encoding");
        }
    }

    private static String readLine(InputStream in, int limit, int statusWhenTooLong) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside the request head");
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new BadRequestException(400, "CR without LF");
                }
                return line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                throw new BadRequestException(400, "bare LF");
            }
            if (b < 0x20 && b != '\t' || b == 0x7F) {
                throw new BadRequestException(400, "control character in the request head");
            }
            if (line.size() >= limit) {
                throw new BadRequestException(statusWhenTooLong, "request head too large");
            }
            line.write(b);
        }
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }
}
