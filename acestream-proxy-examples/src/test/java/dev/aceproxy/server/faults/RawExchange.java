package dev.aceproxy.server.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One request with {@code Connection: close} on a raw socket; the answer read to its length. */
record RawExchange(int status, String head, String body) {

    static RawExchange get(int port, String target) throws IOException {
        return getFrom("127.0.0.1", port, target);
    }

    /** Sends from a chosen loopback source address, so that a test can act as many clients. */
    static RawExchange getFrom(String localAddress, int port, String target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String head = SocketPlayer.readHead(in);
            int status = head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
            String lower = head.toLowerCase(Locale.ROOT);
            int at = lower.indexOf("content-length:");
            byte[] body;
            if (at >= 0) {
                int eol = lower.indexOf("\r\n", at);
                body = in.readNBytes(Integer.parseInt(lower.substring(at + 15, eol).trim()));
            } else {
                body = in.readNBytes(64 * 1024);
            }
            return new RawExchange(status, head, new String(body, StandardCharsets.UTF_8));
        }
    }

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
