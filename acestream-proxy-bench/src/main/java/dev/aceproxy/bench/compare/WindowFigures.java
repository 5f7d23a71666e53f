package dev.aceproxy.bench.compare;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the target cost over one window of a run, from a mark at its start and one at its end.
 *
 * @param seconds the window's length
 * @param userMillis user CPU of the target tree in the window, in milliseconds
 * @param systemMillis system CPU of the same
 * @param bytes bytes the clients received in the window, -1 when unknown
 * @param engineBytes bytes the engine sent in the window
 */
public record WindowFigures(double seconds, double userMillis, double systemMillis, long bytes, long engineBytes) {

    /**
     * The figures between two marks.
     *
     * @param start the mark at the window's start
     * @param end the mark at its end
     * @param clockTicksPerSecond the kernel's {@code USER_HZ}
     * @return the figures; bytes -1 when either mark lacks them
     * @throws IllegalArgumentException when the end is not after the start or a counter went back
     */
    public static WindowFigures between(Mark start, Mark end, long clockTicksPerSecond) {
        if (end.nanos() <= start.nanos()) {
            throw new IllegalArgumentException("a window must end after it starts");
        }
        if (end.userTicks() < start.userTicks() || end.systemTicks() < start.systemTicks()) {
            throw new IllegalArgumentException("CPU ticks went back: not the same process tree");
        }
        double tickMillis = 1000.0 / clockTicksPerSecond;
        long bytes = start.bytes() < 0 || end.bytes() < 0 ? -1 : end.bytes() - start.bytes();
        return new WindowFigures((end.nanos() - start.nanos()) / 1e9,
                (end.userTicks() - start.userTicks()) * tickMillis,
                (end.systemTicks() - start.systemTicks()) * tickMillis, bytes, end.engineBytes() - start.engineBytes());
    }

    /**
     * Where the steady window of a run lies: it starts {@code settle} after the herd was let in and
     * ends {@code tail} before the clients are stopped, so that neither the joins nor the leaves
     * fall in it.
     *
     * @param herdStartNanos when the joiners were started
     * @param runLength how long after that the clients are stopped
     * @param settle how long the joins are given to settle
     * @param tail the margin before the clients stop
     * @return the start and end, in {@link System#nanoTime()} terms
     * @throws IllegalArgumentException when less than one second would be left
     */
    public static long[] steadyBounds(long herdStartNanos, Duration runLength, Duration settle, Duration tail) {
        long start = herdStartNanos + settle.toNanos();
        long end = herdStartNanos + runLength.toNanos() - tail.toNanos();
        if (end - start < 1_000_000_000L) {
            throw new IllegalArgumentException("the run (" + runLength + ") leaves less than 1 s of steady window after "
                    + settle + " to settle and " + tail + " before the end");
        }
        return new long[] {start, end};
    }

    /** {@return user plus system CPU, in milliseconds} */
    public double cpuMillis() {
        return userMillis + systemMillis;
    }

    /** {@return CPU milliseconds per second of window} */
    public double cpuMillisPerSecond() {
        return cpuMillis() / seconds;
    }

    /** {@return CPU milliseconds per GB (10^9 bytes) delivered, NaN when no byte or unknown} */
    public double cpuMillisPerGb() {
        return bytes <= 0 ? Double.NaN : cpuMillis() / (bytes / 1e9);
    }

    /** {@return user CPU milliseconds per GB, NaN when no byte or unknown} */
    public double userMillisPerGb() {
        return bytes <= 0 ? Double.NaN : userMillis / (bytes / 1e9);
    }

    /** {@return system CPU milliseconds per GB, NaN when no byte or unknown} */
    public double systemMillisPerGb() {
        return bytes <= 0 ? Double.NaN : systemMillis / (bytes / 1e9);
    }

    /** {@return delivered megabits per second, NaN when unknown} */
    public double deliveredMbps() {
        return bytes < 0 ? Double.NaN : bytes * 8 / 1e6 / seconds;
    }

    /**
     * The share of the engine's bytes each player received in the window, on average: about 1
     * when every player kept up and the target delivered evenly.
     *
     * @param players how many players
     * @return the share, NaN when unknown
     */
    public double deliveredShare(int players) {
        return bytes < 0 || engineBytes <= 0 || players <= 0 ? Double.NaN : (double) bytes / players / engineBytes;
    }

    /** {@return the figures as a JSON-ready map} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("cpu_user_ms", userMillis);
        m.put("cpu_sys_ms", systemMillis);
        m.put("bytes", bytes);
        m.put("engine_bytes", engineBytes);
        m.put("cpu_ms_per_s", cpuMillisPerSecond());
        m.put("cpu_ms_per_gb", cpuMillisPerGb());
        m.put("cpu_user_ms_per_gb", userMillisPerGb());
        m.put("cpu_sys_ms_per_gb", systemMillisPerGb());
        m.put("delivered_mbps", deliveredMbps());
        return m;
    }
}
