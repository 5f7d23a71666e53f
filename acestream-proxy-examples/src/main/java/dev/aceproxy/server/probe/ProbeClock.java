package dev.aceproxy.server.probe;

import java.util.concurrent.TimeUnit;

/** Milliseconds since the probe started: every time in the report is on this clock. */
final class ProbeClock {

    private final long startNanos = System.nanoTime();

    /** Milliseconds since the probe started. */
    long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Milliseconds from {@code sinceNanos} (a {@link System#nanoTime()}) to now. */
    static long millisSince(long sinceNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }
}
