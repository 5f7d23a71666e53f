package dev.aceproxy.bench.compare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time and resident memory of a process and all its descendants, read from Linux
 * {@code /proc}. A process that has already ended and been waited for is counted through its
 * parent's {@code cutime}/{@code cstime}; a live one through its own {@code utime}/{@code stime}, so
 * nothing is counted twice.
 */
public final class ProcTree {

    private static final Path ROOT = Path.of("/proc");

    private ProcTree() {
    }

    /**
     * One process's line of {@code /proc/<pid>/stat}, the fields the tree needs.
     *
     * @param pid the process id
     * @param parent its parent's id
     * @param userTicks {@code utime}
     * @param systemTicks {@code stime}
     * @param childUserTicks {@code cutime}: waited-for children's user time
     * @param childSystemTicks {@code cstime}: waited-for children's system time
     */
    public record Entry(long pid, long parent, long userTicks, long systemTicks, long childUserTicks,
                        long childSystemTicks) {

        /**
         * Parses a {@code /proc/<pid>/stat} line. Fields are counted from the last closing
         * parenthesis, since the command name may hold spaces and parentheses.
         *
         * @param line the file's content
         * @return the entry
         * @throws IllegalArgumentException when the line does not have the kernel's layout
         */
        public static Entry parse(String line) {
            int open = line.indexOf(" (");
            int close = line.lastIndexOf(')');
            if (open < 0 || close < open) {
                throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
            }
            String[] f = line.substring(close + 1).trim().split("\\s+");
            // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
            if (f.length < 15) {
                throw new IllegalArgumentException("too few fields in /proc/<pid>/stat: " + line);
            }
            try {
                return new Entry(Long.parseLong(line.substring(0, open).trim()), Long.parseLong(f[1]),
                        Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line, e);
            }
        }
    }

    /**
     * The sums over a tree.
     *
     * @param userTicks user time of the tree, waited-for children included, in clock ticks
     * @param systemTicks system time of the same, in clock ticks
     * @param rssBytes the sum of the live processes' {@code VmRSS}
     * @param processes how many live processes the tree has
     */
    public record Usage(long userTicks, long systemTicks, long rssBytes, int processes) {

        /** {@return user plus system ticks} */
        public long totalTicks() {
            return userTicks + systemTicks;
        }
    }

    /**
     * Sums the entries of {@code root} and its descendants.
     *
     * @param root the tree's root process
     * @param entries the stat entries of (at least) every live process of the tree
     * @param rssBytesByPid the resident set of each process (missing ones count 0)
     * @return the sums; zero processes when the root is not among the entries
     */
    public static Usage sum(long root, List<Entry> entries, Map<Long, Long> rssBytesByPid) {
        Map<Long, List<Entry>> children = new HashMap<>();
        Entry top = null;
        for (Entry e : entries) {
            children.computeIfAbsent(e.parent(), k -> new ArrayList<>()).add(e);
            if (e.pid() == root) {
                top = e;
            }
        }
        if (top == null) {
            return new Usage(0, 0, 0, 0);
        }
        long user = 0;
        long system = 0;
        long rss = 0;
        int count = 0;
        Deque<Entry> todo = new ArrayDeque<>(List.of(top));
        while (!todo.isEmpty()) {
            Entry e = todo.pop();
            count++;
            user += e.userTicks() + e.childUserTicks();
            system += e.systemTicks() + e.childSystemTicks();
            rss += rssBytesByPid.getOrDefault(e.pid(), 0L);
            for (Entry child : children.getOrDefault(e.pid(), List.of())) {
                if (child.pid() != root) {
                    todo.push(child);
                }
            }
        }
        return new Usage(user, system, rss, count);
    }

    /**
     * Reads the tree of a live process from {@code /proc}. Processes that end while it is read
     * are skipped.
     *
     * @param root the root process
     * @return its tree's sums (zero processes once the root is gone)
     * @throws IOException when {@code /proc} cannot be listed
     */
    public static Usage read(long root) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(ROOT, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                try {
                    entries.add(Entry.parse(Files.readString(dir.resolve("stat"))));
                } catch (IOException | IllegalArgumentException gone) {
                    // the process ended between the listing and the read
                }
            }
        }
        Usage shape = sum(root, entries, Map.of());
        if (shape.processes() == 0) {
            return shape;
        }
        Map<Long, Long> rss = new HashMap<>();
        for (long pid : treePids(root, entries)) {
            try {
                rss.put(pid, vmRssBytes(Files.readString(ROOT.resolve(pid + "/status"))));
            } catch (IOException | IllegalArgumentException gone) {
                // ended meanwhile: no memory left to count
            }
        }
        return sum(root, entries, rss);
    }

    /**
     * The {@code VmRSS} line of a {@code /proc/<pid>/status} file.
     *
     * @param status the file's content
     * @return the resident set in bytes; 0 when the line is missing (a zombie)
     * @throws IllegalArgumentException when the line is malformed
     */
    public static long vmRssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                try {
                    return Long.parseLong(parts[0]) * 1024;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad VmRSS line: " + line, e);
                }
            }
        }
        return 0;
    }

    private static List<Long> treePids(long root, List<Entry> entries) {
        Map<Long, List<Long>> children = new HashMap<>();
        for (Entry e : entries) {
            children.computeIfAbsent(e.parent(), k -> new ArrayList<>()).add(e.pid());
        }
        List<Long> out = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            out.add(pid);
            for (long c : children.getOrDefault(pid, List.of())) {
                if (c != root) {
                    todo.push(c);
                }
            }
        }
        return out;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
