package dev.aceproxy.bench.load;

/**
 * The CPU times of one process, read from a line of {@code /proc/<pid>/stat}.
 *
 * @param userTicks {@code utime}, in clock ticks
 * @param systemTicks {@code stime}, in clock ticks
 * @param threads {@code num_threads}
 */
public record ProcStat(long userTicks, long systemTicks, int threads) {

    /**
     * Parses the single line of {@code /proc/<pid>/stat}. The command name (field 2) sits in
     * parentheses and may itself contain spaces and parentheses, so fields are counted from the
     * last closing parenthesis.
     *
     * @param line the file's content
     * @return the CPU times
     * @throws IllegalArgumentException when the line does not have the kernel's layout
     */
    public static ProcStat parse(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        String[] f = line.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state); utime is field 14, stime 15, num_threads 20.
        if (f.length < 18) {
            throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + line);
        }
        try {
            return new ProcStat(Long.parseLong(f[11]), Long.parseLong(f[12]), Integer.parseInt(f[17]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line, e);
        }
    }

    /** {@return user plus system time, in clock ticks} */
    public long totalTicks() {
        return userTicks + systemTicks;
    }
}
