package dev.aceproxy.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A loopback HTTP/1.1 server that answers each request path with a scripted raw answer, for the
 * engine answers the fake engine does not produce (foreign urls, oversized bodies, redirects to
 * other hosts). One connection per request; closed with the server.
 */
final class ScriptedEngine implements AutoCloseable {

    private final ServerSocket server;
    private final Map<String, Function<String, byte[]>> answers = new ConcurrentHashMap<>();
    private final Map<String, WireScript> wires = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    ScriptedEngine() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("aceproxy-test-scripted-engine").start(this::acceptLoop);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Answers requests whose path (without query) is {@code path} with {@code answer(requestLine)}. */
    ScriptedEngine on(String path, Function<String, byte[]> answer) {
        answers.put(path, answer);
        return this;
    }

    /** Writes what is sent on one connection; the connection is closed after it returns. */
    @FunctionalInterface
    interface WireScript {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    /** Answers requests for {@code path} by writing to the connection itself, then closing it. */
    ScriptedEngine onWire(String path, WireScript script) {
        wires.put(path, script);
        return this;
    }

    /** Answers {@code path} with a JSON body. */
    ScriptedEngine json(String path, String body) {
        return on(path, request -> response(200, "application/json", body));
    }

    /** The request lines, in arrival order. */
    List<String> requests() {
        return requests;
    }

    /** The whole request heads (request line and headers), in arrival order. */
    List<String> heads() {
        return heads;
    }

    static byte[] response(int status, String contentType, String body) {
        return response(status, contentType, body.getBytes(StandardCharsets.UTF_8), "");
    }

    static byte[] response(int status, String contentType, byte[] body, String extraHeaders) {
        String head = "HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n" + extraHeaders + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    static byte[] redirect(String location) {
        return response(302, "text/plain", new byte[0], "Location: " + location + "\r\n");
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofVirtual().name("aceproxy-test-scripted-connection").start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String headText = head.toString(StandardCharsets.ISO_8859_1);
            String requestLine = headText.lines().findFirst().orElse("");
            heads.add(headText);
            requests.add(requestLine);
            String target = requestLine.split(" ")[1];
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            Function<String, byte[]> answer = answers.get(path);
            OutputStream out = socket.getOutputStream();
            WireScript wire = wires.get(path);
            if (wire != null) {
                wire.write(out);
                out.flush();
                return;
            }
            out.write(answer == null ? response(404, "text/plain", "no script for " + path) : answer.apply(requestLine));
            out.flush();
        } catch (IOException gone) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
