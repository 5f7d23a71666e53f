package dev.aceproxy.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every client connection of a load run, spread over a few {@link ReaderLoop selector threads}.
 * Owns the loops and every connection it opened; {@link #close()} closes them all.
 */
public final class ClientFleet implements AutoCloseable {

    private final InetSocketAddress server;
    private final String path;
    private final List<ReaderLoop> loops = new ArrayList<>();
    private final List<StreamConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * Starts the selector threads.
     *
     * @param server the server's loopback address
     * @param path the request path, e.g. {@code /ace/getstream?id=...}
     * @param selectors how many selector threads
     * @param readBufferBytes the size of each thread's direct read buffer
     * @param stuckReadBytes bytes a stuck client reads per second
     * @throws IOException when a selector cannot be opened
     * @throws IllegalArgumentException when a count or size is not positive
     */
    public ClientFleet(InetSocketAddress server, String path, int selectors, int readBufferBytes, int stuckReadBytes)
            throws IOException {
        if (selectors <= 0 || readBufferBytes <= 0 || stuckReadBytes <= 0) {
            throw new IllegalArgumentException("selectors, buffer and stuck read sizes must be positive");
        }
        this.server = server;
        this.path = path;
        try {
            for (int i = 0; i < selectors; i++) {
                loops.add(new ReaderLoop("load-reader-" + i, server, readBufferBytes, stuckReadBytes,
                        TimeUnit.SECONDS.toNanos(1)));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * Opens a connection; it connects on a selector thread shortly after.
     *
     * @param role what the connection is for
     * @param receiveBufferBytes {@code SO_RCVBUF} to set before connecting, 0 for the system default
     * @return the connection, whose figures fill in as it runs
     */
    public StreamConnection open(ClientRole role, int receiveBufferBytes) {
        long id = ids.getAndIncrement();
        StreamConnection c = new StreamConnection(id, role, server.getHostString(), server.getPort(), path,
                receiveBufferBytes);
        connections.add(c);
        loops.get((int) (id % loops.size())).open(c);
        return c;
    }

    /**
     * Lets every open stuck client read as fast as it can from now on. A server that drops a
     * client usually closes its socket with megabytes still in the kernel's send buffer, and the
     * client sees the end only once it has read them.
     */
    public void releaseStuck() {
        for (StreamConnection c : connections) {
            if (c.role() == ClientRole.STUCK && c.outcome() == StreamConnection.Outcome.OPEN) {
                loops.get((int) (c.id() % loops.size())).release(c);
            }
        }
    }

    /** {@return every connection opened so far, in order} */
    public List<StreamConnection> connections() {
        return List.copyOf(connections);
    }

    /** Closes every connection and stops the selector threads. */
    @Override
    public void close() {
        for (StreamConnection c : connections) {
            c.close();
        }
        for (ReaderLoop loop : loops) {
            try {
                loop.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
