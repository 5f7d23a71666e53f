package dev.aceproxy.bench.compare;

/**
 * The counters at one instant of a run: the target tree's CPU ticks and the bytes the clients had
 * received. Two marks make a {@link WindowFigures window}.
 *
 * @param nanos {@link System#nanoTime()} when taken
 * @param userTicks the target tree's user CPU, in clock ticks
 * @param systemTicks the target tree's system CPU, in clock ticks
 * @param bytes bytes received by all clients so far, or -1 when the clients cannot say mid-run
 */
public record Mark(long nanos, long userTicks, long systemTicks, long bytes) {
}
