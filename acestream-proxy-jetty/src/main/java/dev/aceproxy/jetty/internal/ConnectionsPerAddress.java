package dev.aceproxy.jetty.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;

/**
 * Closes a new connection at once when its address already holds the maximum of open
 * connections, so that one host cannot take every connection the server allows. Register it as a
 * connection listener on the connector (a bean). Thread-safe.
 */
public final class ConnectionsPerAddress implements Connection.Listener {

    private final int maxPerAddress;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final Map<Connection, String> counted = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    /**
     * Creates the limit.
     *
     * @param maxPerAddress open connections one address may hold, at least 1
     */
    public ConnectionsPerAddress(int maxPerAddress) {
        if (maxPerAddress < 1) {
            throw new IllegalArgumentException("maxPerAddress must be at least 1");
        }
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * Returns how many connections were closed for being over the limit.
     *
     * @return the count since creation
     */
    public long refusedConnections() {
        return refused.get();
    }

    /** Counts the connection, or closes it when its address is at the limit. */
    @Override
    public void onOpened(Connection connection) {
        String address = address(connection.getEndPoint().getRemoteSocketAddress());
        boolean[] admitted = new boolean[1];
        open.compute(address, (key, count) -> {
            int n = count == null ? 0 : count;
            admitted[0] = n < maxPerAddress;
            return admitted[0] ? n + 1 : (n == 0 ? null : n);
        });
        if (admitted[0]) {
            counted.put(connection, address);
        } else {
            refused.incrementAndGet();
            connection.getEndPoint().close();
        }
    }

    /** Forgets a closed connection. */
    @Override
    public void onClosed(Connection connection) {
        String address = counted.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    private static String address(SocketAddress socket) {
        if (socket instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(socket);
    }
}
