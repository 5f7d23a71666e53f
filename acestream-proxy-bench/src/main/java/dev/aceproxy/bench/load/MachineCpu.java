package dev.aceproxy.bench.load;

/**
 * The machine's CPU time counters, from the first line of {@code /proc/stat}: enough to tell
 * whether the machine itself was saturated during a run (then no figure of it is trustworthy).
 *
 * @param busyTicks ticks spent doing work (user, nice, system, irq, softirq, steal)
 * @param idleTicks ticks spent idle or waiting for I/O
 */
public record MachineCpu(long busyTicks, long idleTicks) {

    /**
     * Parses the {@code cpu} line of {@code /proc/stat}.
     *
     * @param content the file's content (only its first {@code cpu } line is read)
     * @return the counters
     * @throws IllegalArgumentException when there is no aggregate {@code cpu} line
     */
    public static MachineCpu parse(String content) {
        for (String line : content.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.substring(4).trim().split("\\s+");
                if (f.length < 5) {
                    throw new IllegalArgumentException("short cpu line in /proc/stat: " + line);
                }
                long busy = 0;
                long idle = 0;
                // user nice system idle iowait irq softirq steal [guest guest_nice: already in user]
                for (int i = 0; i < Math.min(f.length, 8); i++) {
                    long v = Long.parseLong(f[i]);
                    if (i == 3 || i == 4) {
                        idle += v;
                    } else {
                        busy += v;
                    }
                }
                return new MachineCpu(busy, idle);
            }
        }
        throw new IllegalArgumentException("no aggregate cpu line in /proc/stat");
    }

    /**
     * The share of time the machine was busy between two readings.
     *
     * @param earlier the reading at the start
     * @return busy time over all time, in {@code [0, 1]}; {@code NaN} when no time passed
     */
    public double busyFractionSince(MachineCpu earlier) {
        long busy = busyTicks - earlier.busyTicks;
        long all = busy + idleTicks - earlier.idleTicks;
        return all <= 0 ? Double.NaN : (double) busy / all;
    }
}
