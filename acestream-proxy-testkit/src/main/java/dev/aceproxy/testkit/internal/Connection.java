package dev.aceproxy.testkit.internal;

import java.io.IOException;
import java.net.Socket;

/**
 * One accepted client connection. Closing is idempotent and may come from any thread (a stop, a cut,
 * the engine closing); it unblocks whatever the connection's thread is doing with the socket.
 */
final class Connection {

    private final long id;
    private final Socket socket;
    private volatile boolean streaming;

    Connection(long id, Socket socket) {
        this.id = id;
        this.socket = socket;
    }

    long id() {
        return id;
    }

    Socket socket() {
        return socket;
    }

    /** @return whether this connection is sending a playback body */
    boolean isStreaming() {
        return streaming;
    }

    void streaming(boolean on) {
        streaming = on;
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    /** Ends the connection cleanly: the peer reads EOF after what was sent. */
    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken: nothing left to release
        }
    }

    /** Ends the connection abruptly: the peer sees a reset. */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        close();
    }
}
