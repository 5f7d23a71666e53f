package dev.aceproxy.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads the Linux {@code /proc} entries of a process and of the machine. Linux only.
 */
public final class ProcFs {

    private static final Path ROOT = Path.of("/proc");

    private final long clockTicksPerSecond;

    /**
     * Creates a reader.
     *
     * @param clockTicksPerSecond the kernel's {@code USER_HZ} ({@code getconf CLK_TCK}), 100 on
     *        every mainstream Linux
     * @throws IllegalArgumentException when the tick rate is not positive
     */
    public ProcFs(long clockTicksPerSecond) {
        if (clockTicksPerSecond <= 0) {
            throw new IllegalArgumentException("clock ticks per second must be positive");
        }
        this.clockTicksPerSecond = clockTicksPerSecond;
    }

    /**
     * A reader using {@code getconf CLK_TCK}, or 100 when that cannot be run.
     *
     * @return the reader
     * @throws InterruptedException when interrupted while running getconf
     */
    public static ProcFs detect() throws InterruptedException {
        long hz = 100;
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0 && out.matches("\\d+")) {
                hz = Long.parseLong(out);
            }
        } catch (IOException e) {
            // getconf missing: USER_HZ is 100 on every mainstream Linux build
        }
        return new ProcFs(hz);
    }

    /** {@return whether this machine has a Linux {@code /proc}} */
    public static boolean available() {
        return Files.isReadable(ROOT.resolve("self/stat"));
    }

    /** {@return clock ticks per second used to convert CPU times} */
    public long clockTicksPerSecond() {
        return clockTicksPerSecond;
    }

    /**
     * Reads a process's CPU times.
     *
     * @param pid the process
     * @return its {@code stat} figures
     * @throws IOException when the process is gone or the file cannot be read
     */
    public ProcStat stat(long pid) throws IOException {
        return ProcStat.parse(Files.readString(ROOT.resolve(pid + "/stat")));
    }

    /**
     * Reads a process's memory and thread figures.
     *
     * @param pid the process
     * @return its {@code status} figures
     * @throws IOException when the process is gone or the file cannot be read
     */
    public ProcStatus status(long pid) throws IOException {
        return ProcStatus.parse(Files.readString(ROOT.resolve(pid + "/status")));
    }

    /**
     * Counts a process's open file descriptors (sockets included).
     *
     * @param pid the process
     * @return the number of entries in {@code /proc/<pid>/fd}
     * @throws IOException when the process is gone or the directory cannot be listed
     */
    public int openFileDescriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(ROOT.resolve(pid + "/fd"))) {
            return (int) fds.count();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Reads the machine's CPU counters.
     *
     * @return the aggregate counters
     * @throws IOException when {@code /proc/stat} cannot be read
     */
    public MachineCpu machine() throws IOException {
        return MachineCpu.parse(Files.readString(ROOT.resolve("stat")));
    }

    /**
     * Converts clock ticks to seconds.
     *
     * @param ticks a CPU time in ticks
     * @return the same time in seconds
     */
    public double seconds(long ticks) {
        return (double) ticks / clockTicksPerSecond;
    }
}
