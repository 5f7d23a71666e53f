package dev.aceproxy.server.faults;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A tiny engine on a raw loopback socket that answers getstream with whatever bytes a test
 * crafts, the version probe with a valid answer, and records every request target it gets. The
 * fake engine of the testkit answers only well-formed getstream bodies; this one is for hostile
 * ones. One request per connection.
 */
final class CraftedEngine implements AutoCloseable {

    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Function<String, byte[]> getstream;

    CraftedEngine(Function<String, byte[]> getstream) throws IOException {
        this.getstream = getstream;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("crafted-engine-accept").start(this::accept);
    }

    /** An answer of status 200 with a JSON body. */
    static byte[] json(String body) {
        return json(body.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] json(byte[] body) {
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every request target received, in order. */
    List<String> targets() {
        return List.copyOf(targets);
    }

    long getstreamCalls() {
        return targets.stream().filter(t -> t.startsWith("/ace/getstream")).count();
    }

    /** Connections accepted, whether or not they sent a request. */
    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                connections.incrementAndGet();
                sockets.add(s);
                Thread.ofVirtual().name("crafted-engine-conn").start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            String head = SocketPlayer.readHead(in);
            String line = head.lines().findFirst().orElse("");
            String[] parts = line.split(" ");
            String target = parts.length > 1 ? parts[1] : "";
            targets.add(target);
            OutputStream out = socket.getOutputStream();
            if (target.startsWith("/ace/getstream")) {
                out.write(getstream.apply(target));
            } else if (target.startsWith("/webui/api/service")) {
                out.write(json("{\"result\": {\"code\": 3017000, \"platform\": \"linux\", \"version\": \"3.1.70\"}, \"error\": null}"));
            } else if (target.startsWith("/ace/cmd/")) {
                out.write(json("{\"response\": \"ok\", \"error\": null}"));
            } else {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        } catch (IOException e) {
            // the proxy went away; nothing to record
        }
    }

    /** A body far larger than any engine answer, written without buffering it whole. */
    static byte[] hugeJson(int bytes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(bytes + 64);
        byte[] prefix = "{\"response\": {\"pad\": \"".getBytes(StandardCharsets.US_ASCII);
        body.writeBytes(prefix);
        byte[] pad = new byte[bytes];
        java.util.Arrays.fill(pad, (byte) 'a');
        body.writeBytes(pad);
        body.writeBytes("\"}, \"error\": null}".getBytes(StandardCharsets.US_ASCII));
        return json(body.toByteArray());
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
