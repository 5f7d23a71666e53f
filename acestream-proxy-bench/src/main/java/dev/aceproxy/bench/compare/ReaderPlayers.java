package dev.aceproxy.bench.compare;

import dev.aceproxy.bench.load.ClientFleet;
import dev.aceproxy.bench.load.ClientRole;
import dev.aceproxy.bench.load.LatencySummary;
import dev.aceproxy.bench.load.StreamConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Players that are the load tool's own readers ({@link ClientFleet}: non-blocking sockets on a few
 * selector threads, counting payload bytes without keeping them). They report their bytes at any
 * time; their first-byte time is to the first payload byte.
 */
public final class ReaderPlayers implements Players {

    private final ClientFleet fleet;
    private final List<StreamConnection> herd = new ArrayList<>();
    private StreamConnection starter;
    private long plannedEndNanos;

    /**
     * Starts the selector threads; no connection yet.
     *
     * @param server the server's loopback address
     * @param path the request path
     * @param selectors how many selector threads
     * @throws IOException when a selector cannot be opened
     */
    public ReaderPlayers(InetSocketAddress server, String path, int selectors) throws IOException {
        this.fleet = new ClientFleet(server, path, selectors, 256 * 1024, 1024);
    }

    @Override
    public void startStarter(Duration playFor) {
        starter = fleet.open(ClientRole.STARTER, 0);
        plannedEndNanos = Math.max(plannedEndNanos, System.nanoTime() + playFor.toNanos());
    }

    @Override
    public void startHerd(int count, Duration playFor) {
        for (int i = 0; i < count; i++) {
            herd.add(fleet.open(ClientRole.JOINER, 0));
        }
        plannedEndNanos = Math.max(plannedEndNanos, System.nanoTime() + playFor.toNanos());
    }

    @Override
    public long bytesSoFar() {
        long sum = 0;
        for (StreamConnection c : fleet.connections()) {
            sum += c.payloadBytes();
        }
        return sum;
    }

    @Override
    public PlayerOutcome finish(Duration grace) throws InterruptedException {
        long left = plannedEndNanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
        List<StreamConnection> all = fleet.connections();
        int failed = (int) all.stream().filter(c -> c.outcome() != StreamConnection.Outcome.OPEN).count();
        long total = bytesSoFar();
        fleet.close();
        double starterMillis = starter != null && starter.hasFirstByte() ? starter.timeToFirstByteNanos() / 1e6
                : Double.NaN;
        long[] herdNanos = herd.stream().filter(StreamConnection::hasFirstByte)
                .mapToLong(StreamConnection::timeToFirstByteNanos).toArray();
        int without = (int) herd.stream().filter(c -> !c.hasFirstByte()).count();
        return new PlayerOutcome(total, starterMillis, LatencySummary.ofNanos(herdNanos), without, failed);
    }

    @Override
    public void close() {
        fleet.close();
    }
}
