package dev.aceproxy.testkit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The answering side of one request on one connection: writes a whole response, or a streaming
 * head, or deliberately broken bytes. The connection's owner closes the socket afterwards, which
 * is what delimits the answers framed the engine's way: a {@code 302} and error answers (status 300
 * and up) carry neither {@code Content-Length} nor {@code Connection: close}, and so do JSON answers
 * when the engine is built with close-delimited JSON. Other answers carry both. Owned by the
 * connection's thread.
 */
final class Exchange {

    private final Connection connection;
    private final OutputStream out;
    private final boolean closeDelimitedJson;

    /**
     * @param connection the connection
     * @param closeDelimitedJson whether JSON answers go without {@code Content-Length}
     */
    Exchange(Connection connection, boolean closeDelimitedJson) throws IOException {
        this.connection = connection;
        this.out = connection.socket().getOutputStream();
        this.closeDelimitedJson = closeDelimitedJson;
    }

    Connection connection() {
        return connection;
    }

    OutputStream body() {
        return out;
    }

    void sendJson(String json) throws IOException {
        send(200, "application/json", json, !closeDelimitedJson);
    }

    void sendText(int status, String text) throws IOException {
        send(status, "text/plain; charset=utf-8", text, status < 300);
    }

    void send(int status, String contentType, String body) throws IOException {
        send(status, contentType, body, status < 300);
    }

    private void send(int status, String contentType, String body, boolean framed) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = statusLine(status)
                + "Content-Type: " + contentType + "\r\n"
                + (framed ? "Content-Length: " + bytes.length + "\r\n" + "Connection: close\r\n" : "")
                + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    /** A {@code 302} the engine's way: no {@code Content-Length}, no {@code Connection: close}, no body. */
    void sendRedirect(String location) throws IOException {
        writeRaw(statusLine(302) + "Location: " + location + "\r\n\r\n");
    }

    /** Starts a close-delimited MPEG-TS body; the caller writes it to {@link #body()}. */
    void sendStreamHead() throws IOException {
        writeRaw(statusLine(200)
                + "Content-Type: video/mp2t\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Connection: close\r\n\r\n");
    }

    void writeRaw(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static String statusLine(int status) {
        return "HTTP/1.1 " + status + " " + reason(status) + "\r\n";
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status";
        };
    }
}
