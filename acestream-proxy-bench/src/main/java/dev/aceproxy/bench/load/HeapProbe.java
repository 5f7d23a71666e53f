package dev.aceproxy.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java heap in use by another JVM, from {@code jcmd <pid> GC.heap_info} of the JDK running
 * this tool. Running jcmd costs this machine a short JVM start (not counted in the server's CPU);
 * the server only answers one attach request.
 */
public final class HeapProbe {

    private static final Pattern USED_AFTER = Pattern.compile("used (\\d+)([KMG])\\b");
    private static final Pattern USED_BEFORE = Pattern.compile("\\b(\\d+)([KMG]) used\\b");

    private final Path jcmd;

    /**
     * A probe using the given jcmd.
     *
     * @param jcmd the jcmd executable
     */
    public HeapProbe(Path jcmd) {
        this.jcmd = jcmd;
    }

    /** {@return a probe using the jcmd beside the running {@code java}} */
    public static HeapProbe ofRunningJdk() {
        return new HeapProbe(Path.of(System.getProperty("java.home"), "bin", "jcmd"));
    }

    /** {@return whether jcmd exists} */
    public boolean available() {
        return Files.isExecutable(jcmd);
    }

    /**
     * Asks the JVM how much heap it uses now.
     *
     * @param pid the JVM's process id
     * @return the bytes in use, or empty when jcmd failed or its answer could not be read
     * @throws InterruptedException when interrupted while jcmd runs
     */
    public OptionalLong usedBytes(long pid) throws InterruptedException {
        if (!available()) {
            return OptionalLong.empty();
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info")
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return OptionalLong.empty();
            }
            return p.exitValue() == 0 ? parseUsedBytes(new String(out, StandardCharsets.UTF_8)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Reads the heap in use from {@code GC.heap_info} output, whatever the collector: the sum of
     * every {@code used N[KMG]} (or {@code N[KMG] used}) on lines that describe the heap, skipping
     * Metaspace and class space.
     *
     * @param output jcmd's output
     * @return the bytes in use, or empty when no heap line was found
     */
    public static OptionalLong parseUsedBytes(String output) {
        long total = 0;
        boolean found = false;
        for (String line : output.split("\n")) {
            String t = line.trim();
            if (t.startsWith("Metaspace") || t.startsWith("class space")) {
                continue;
            }
            Matcher m = USED_AFTER.matcher(t);
            if (!m.find()) {
                m = USED_BEFORE.matcher(t);
                if (!m.find()) {
                    continue;
                }
            }
            total += Long.parseLong(m.group(1)) * switch (m.group(2)) {
                case "K" -> 1024L;
                case "M" -> 1024L * 1024;
                default -> 1024L * 1024 * 1024;
            };
            found = true;
        }
        return found ? OptionalLong.of(total) : OptionalLong.empty();
    }
}
