package dev.aceproxy.bench.compare;

/**
 * The counters at one instant of a run: the target tree's CPU ticks, the bytes the clients had
 * received and the bytes the engine had sent. Two marks make a {@link WindowFigures window}.
 *
 * @param nanos {@link System#nanoTime()} when taken
 * @param userTicks the target tree's user CPU, in clock ticks
 * @param systemTicks the target tree's system CPU, in clock ticks
 * @param bytes bytes received by all clients so far, or -1 when the clients cannot say mid-run
 * @param engineBytes bytes the fake engine had sent so far
 */
public record Mark(long nanos, long userTicks, long systemTicks, long bytes, long engineBytes) {
}
