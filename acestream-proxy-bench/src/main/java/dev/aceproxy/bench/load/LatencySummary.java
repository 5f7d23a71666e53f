package dev.aceproxy.bench.load;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a set of latencies in milliseconds.
 *
 * @param count how many values
 * @param p50Millis the median, {@code NaN} when there is no value
 * @param p99Millis the 99th percentile, {@code NaN} when there is no value
 * @param maxMillis the largest value, {@code NaN} when there is no value
 */
public record LatencySummary(int count, double p50Millis, double p99Millis, double maxMillis) {

    /** The summary of no values. */
    public static final LatencySummary EMPTY = new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN);

    /**
     * Summarises latencies given in nanoseconds.
     *
     * @param nanos the values (not modified)
     * @return their summary
     */
    public static LatencySummary ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return EMPTY;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencySummary(sorted.length, percentile(sorted, 50) / 1e6, percentile(sorted, 99) / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    /**
     * The nearest-rank percentile: the smallest value such that at least {@code p} percent of the
     * values are less than or equal to it.
     *
     * @param sorted values in ascending order, at least one
     * @param p the percentile, in {@code (0, 100]}
     * @return the value at that rank
     * @throws IllegalArgumentException when {@code p} is out of range or there is no value
     */
    public static long percentile(long[] sorted, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
