package dev.aceproxy.bench.load;

import java.util.OptionalLong;

/**
 * Memory and thread figures of one process, read from {@code /proc/<pid>/status}.
 *
 * @param peakRssBytes {@code VmHWM}: the peak resident set size
 * @param rssBytes {@code VmRSS}: the resident set size now
 * @param threads {@code Threads}: the number of kernel threads
 */
public record ProcStatus(long peakRssBytes, long rssBytes, int threads) {

    /**
     * Parses the content of {@code /proc/<pid>/status}.
     *
     * @param content the file's content
     * @return the figures
     * @throws IllegalArgumentException when a needed line is missing or malformed
     */
    public static ProcStatus parse(String content) {
        return new ProcStatus(kilobytes(content, "VmHWM").orElseThrow(() -> missing("VmHWM")) * 1024,
                kilobytes(content, "VmRSS").orElseThrow(() -> missing("VmRSS")) * 1024,
                (int) number(content, "Threads").orElseThrow(() -> missing("Threads")));
    }

    private static OptionalLong kilobytes(String content, String key) {
        return number(content, key);
    }

    private static OptionalLong number(String content, String key) {
        for (String line : content.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(parts[0]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("malformed " + key + " line: " + line, e);
                }
            }
        }
        return OptionalLong.empty();
    }

    private static IllegalArgumentException missing(String key) {
        return new IllegalArgumentException("no " + key + " line in /proc/<pid>/status");
    }
}
