package dev.aceproxy.testkit.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every open connection of the fake engine, so they can be cut or closed together. Thread-safe. */
final class ConnectionTable {

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    void add(Connection connection) {
        open.add(connection);
    }

    void remove(Connection connection) {
        open.remove(connection);
    }

    /** @return how many connections are sending a playback body now */
    int streamingCount() {
        return (int) open.stream().filter(Connection::isStreaming).count();
    }

    /** Resets every connection that is sending a playback body. */
    void abortStreaming() {
        for (Connection connection : List.copyOf(open)) {
            if (connection.isStreaming()) {
                connection.abort();
            }
        }
    }

    /** Resets every connection, whatever it is doing. */
    void abortAll() {
        for (Connection connection : List.copyOf(open)) {
            connection.abort();
        }
    }
}
