package dev.aceproxy.bench.compare;

import java.io.IOException;
import java.time.Duration;

/**
 * The clients of one run: a starter that opens the stream, then a herd that joins at once. Every
 * client stops by itself at the run's end; {@link #close()} stops whatever is left.
 */
public interface Players extends AutoCloseable {

    /**
     * Starts the first client.
     *
     * @param playFor how long it plays
     * @throws IOException when it cannot be started
     */
    void startStarter(Duration playFor) throws IOException;

    /**
     * Starts {@code count} clients at once.
     *
     * @param count how many
     * @param playFor how long they play
     * @throws IOException when they cannot be started
     */
    void startHerd(int count, Duration playFor) throws IOException;

    /**
     * Bytes every client has received so far, for a window's marks.
     *
     * @return the count, or -1 when these clients cannot say it mid-run
     * @throws IOException when the count cannot be read
     * @throws InterruptedException when interrupted while reading it
     */
    long bytesSoFar() throws IOException, InterruptedException;

    /**
     * Waits until every client has stopped (at most {@code grace} past their planned end), stops
     * the rest and gives their figures.
     *
     * @param grace how long past the planned end to wait
     * @return the figures
     * @throws IOException when the clients' output cannot be read
     * @throws InterruptedException when interrupted; the clients are stopped first
     */
    PlayerOutcome finish(Duration grace) throws IOException, InterruptedException;

    /** Stops every client still running; idempotent. */
    @Override
    void close();
}
