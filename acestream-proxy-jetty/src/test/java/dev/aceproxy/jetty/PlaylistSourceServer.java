package dev.aceproxy.jetty;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A playlist host on {@code 127.0.0.1:0} (the JDK's own HTTP server): answers
 * {@code GET /list.m3u} with whatever the test set last, or with a status of its choosing.
 */
final class PlaylistSourceServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String body = "";
    private volatile int status = 200;

    private PlaylistSourceServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(executor);
        server.createContext("/list.m3u", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                if (status != 200) {
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "audio/x-mpegurl");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
    }

    static PlaylistSourceServer start(String playlist) throws IOException {
        PlaylistSourceServer s = new PlaylistSourceServer();
        s.answer(playlist);
        return s;
    }

    /** From now on, answers 200 with this playlist. */
    void answer(String playlist) {
        body = playlist;
        status = 200;
    }

    /** From now on, answers this status without a body. */
    void fail(int httpStatus) {
        status = httpStatus;
    }

    int requests() {
        return requests.get();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/list.m3u");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
