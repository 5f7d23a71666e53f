package dev.aceproxy.bench.load;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One periodic reading of the server process, for soaks: growth over time shows a leak.
 *
 * @param atSeconds seconds since the server started listening
 * @param threads kernel threads ({@code /proc/<pid>/status} {@code Threads})
 * @param heapUsedBytes Java heap in use (jcmd {@code GC.heap_info}); empty when jcmd failed
 * @param rssBytes resident set size ({@code VmRSS})
 * @param fds open file descriptors ({@code /proc/<pid>/fd})
 * @param openClients the tool's connections still open at that moment
 * @param cpuSeconds the server's CPU time since it started ({@code utime + stime})
 */
public record ServerSample(double atSeconds, int threads, OptionalLong heapUsedBytes, long rssBytes, int fds,
                           int openClients, double cpuSeconds) {

    /** {@return the sample as an ordered map for {@link JsonLine}} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at_s", atSeconds);
        m.put("threads", threads);
        m.put("heap_used_bytes", heapUsedBytes);
        m.put("rss_bytes", rssBytes);
        m.put("fds", fds);
        m.put("open_clients", openClients);
        m.put("cpu_s", cpuSeconds);
        return m;
    }

    /** {@return one human-readable line} */
    public String line() {
        return String.format(Locale.ROOT, "sample t=%6.1fs threads=%d heap=%s rss=%.1fMiB fds=%d clients=%d cpu=%.2fs",
                atSeconds, threads, heapUsedBytes.isPresent() ? String.format(Locale.ROOT, "%.1fMiB",
                        heapUsedBytes.getAsLong() / 1048576.0) : "n/a",
                rssBytes / 1048576.0, fds, openClients, cpuSeconds);
    }
}
