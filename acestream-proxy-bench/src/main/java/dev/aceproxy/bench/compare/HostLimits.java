package dev.aceproxy.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that this machine can hold the largest run: open files for every client socket (the
 * target, the readers and the curl processes inherit this process's limit) and loopback ports for
 * every client connection, including those of earlier runs still in TIME_WAIT.
 */
public final class HostLimits {

    /** File descriptors needed beyond one per player: the JVM's own, the engine, the logs. */
    public static final int SPARE_FILES = 256;

    private HostLimits() {
    }

    /**
     * The open-files limit in a {@code /proc/<pid>/limits} file.
     *
     * @param limits the file's content
     * @return {soft, hard}; {@link Long#MAX_VALUE} for unlimited
     * @throws IllegalArgumentException when the line is missing or malformed
     */
    public static long[] openFiles(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                if (f.length >= 2) {
                    return new long[] {limit(f[0]), limit(f[1])};
                }
            }
        }
        throw new IllegalArgumentException("no 'Max open files' line in the limits");
    }

    /**
     * How many ports {@code ip_local_port_range} gives.
     *
     * @param range the file's content, e.g. {@code "32768\t60999"}
     * @return the number of ports
     * @throws IllegalArgumentException when malformed
     */
    public static int ports(String range) {
        String[] f = range.trim().split("\\s+");
        if (f.length != 2) {
            throw new IllegalArgumentException("not a port range: " + range);
        }
        try {
            return Integer.parseInt(f[1]) - Integer.parseInt(f[0]) + 1;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port range: " + range, e);
        }
    }

    /**
     * What stops a run with {@code players} players.
     *
     * @param players the largest player count
     * @param softFiles this process's soft open-files limit (the JVM raises it to the hard one at start)
     * @param ports the loopback port range's size
     * @return the problems, each with its fix; empty when the run fits
     */
    public static List<String> problems(int players, long softFiles, int ports) {
        List<String> out = new ArrayList<>();
        long files = (long) players + SPARE_FILES;
        if (softFiles < files) {
            out.add("open files limit is " + softFiles + ", " + players + " players need about " + files
                    + ": raise it before running (ulimit -n " + Math.max(files, 4096) + ")");
        }
        if (ports < 2L * players + SPARE_FILES) {
            out.add("the local port range has " + ports + " ports, " + players + " players need about "
                    + (2L * players + SPARE_FILES) + " (closed connections stay in TIME_WAIT for a minute): "
                    + "widen net.ipv4.ip_local_port_range");
        }
        return out;
    }

    /**
     * Checks this machine.
     *
     * @param players the largest player count
     * @return the problems; empty when the run fits
     * @throws IOException when {@code /proc} cannot be read
     */
    public static List<String> check(int players) throws IOException {
        long[] files = openFiles(Files.readString(Path.of("/proc/self/limits")));
        // a /proc/sys file reports size 0 and may come in pieces: read it line by line
        int ports;
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            ports = ports(String.valueOf(r.readLine()));
        }
        return problems(players, files[0], ports);
    }

    private static long limit(String text) {
        return text.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(text);
    }
}
