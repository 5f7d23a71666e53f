package dev.aceproxy.bench.compare;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the resident set of a process tree every {@link #PERIOD_MILLIS} ms on a daemon thread
 * and keeps the largest sum seen. Owns its thread; {@link #close()} stops it.
 */
public final class RssSampler implements AutoCloseable {

    /** The sampling period, as the shared bench README prescribes. */
    public static final long PERIOD_MILLIS = 500;

    private final long root;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("compare-rss").daemon(true).factory());
    private final AtomicLong peak = new AtomicLong();
    private final AtomicInteger samples = new AtomicInteger();

    /**
     * Starts sampling at once.
     *
     * @param root the tree's root process
     */
    public RssSampler(long root) {
        this.root = root;
        timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** {@return the largest resident set of the whole tree seen so far, in bytes} */
    public long peakBytes() {
        return peak.get();
    }

    /** {@return how many samples were taken} */
    public int samples() {
        return samples.get();
    }

    private void sample() {
        try {
            ProcTree.Usage u = ProcTree.read(root);
            if (u.processes() > 0) {
                peak.accumulateAndGet(u.rssBytes(), Math::max);
                samples.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            // a sample lost while the tree ends; the next one or the peak so far stands
        }
    }

    /** Stops sampling and waits for a sample in progress. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
