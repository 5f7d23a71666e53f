package dev.aceproxy.bench.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The figures of one load run. Every figure that says "window" is a difference between two
 * readings taken at the start and the end of the measurement window.
 *
 * @param options the settings of the run
 * @param serverPid the server's process id (the process is gone once the run is over)
 * @param serverCommand the command line that started the server
 * @param windowSeconds the measured window's real length
 * @param bytesDelivered payload bytes every client received in the window (HTTP framing excluded)
 * @param engineBytes MPEG-TS bytes the fake engine sent to the server in the window
 * @param serverCpuSeconds the server process's user+system CPU time in the window
 * @param toolCpuSeconds this tool's own CPU time in the window (fake engine included)
 * @param machineBusyFraction share of the whole machine's CPU time that was busy in the window
 * @param serverPeakRssBytes the server's {@code VmHWM} at the end of the window
 * @param serverRssBytes the server's {@code VmRSS} at the end of the window
 * @param serverHeapUsedBytes heap in use at the end of the window (jcmd {@code GC.heap_info})
 * @param maxSampledHeapUsedBytes the largest heap reading of the run (periodic samples and the end)
 * @param serverThreads the server's kernel threads at the end of the window
 * @param serverFds the server's open file descriptors at the end of the window
 * @param fastClients clients reading as fast as they can (starter and joiners)
 * @param clientsKeptUp fast clients that received at least {@link LoadTool#KEPT_UP_FRACTION} of the engine's bytes
 * @param fastClientsLost fast clients the server ended or that failed before the window's end
 * @param stuckClients stuck clients
 * @param stuckDisconnected stuck clients the server had dropped by the window's end, found by draining
 *        their sockets for up to 3 s after it
 * @param firstClientTtfbMillis time to first byte of the client that started the stream (cold start)
 * @param joinTtfb time to first byte of the joiners, which arrive after the warm-up
 * @param joinersWithoutFirstByte joiners with no byte when the join timeout passed
 * @param churnTtfb time to first byte of the churn clients
 * @param churnClients churn clients opened
 * @param badStarts clients whose first payload byte was not the MPEG-TS sync byte 0x47
 * @param getstreamCalls getstream calls the fake engine answered over the whole run
 * @param playbackOpens playback connections the fake engine opened over the whole run
 * @param secondReaderAttempts attempts to read a playback url that already had a reader
 * @param samples the periodic samples, if any
 */
public record LoadReport(LoadOptions options, long serverPid, List<String> serverCommand, double windowSeconds, long bytesDelivered,
                         long engineBytes, double serverCpuSeconds, double toolCpuSeconds, double machineBusyFraction,
                         long serverPeakRssBytes, long serverRssBytes, OptionalLong serverHeapUsedBytes,
                         OptionalLong maxSampledHeapUsedBytes, int serverThreads, int serverFds, int fastClients,
                         int clientsKeptUp, int fastClientsLost, int stuckClients, int stuckDisconnected,
                         double firstClientTtfbMillis, LatencySummary joinTtfb, int joinersWithoutFirstByte,
                         LatencySummary churnTtfb, int churnClients, int badStarts, int getstreamCalls,
                         int playbackOpens, int secondReaderAttempts, List<ServerSample> samples) {

    /** Copies the lists. */
    public LoadReport {
        serverCommand = List.copyOf(serverCommand);
        samples = List.copyOf(samples);
    }

    /** {@return server CPU milliseconds per 10^9 payload bytes delivered; NaN when nothing was delivered} */
    public double cpuMillisPerGigabyte() {
        return bytesDelivered == 0 ? Double.NaN : serverCpuSeconds * 1000 / (bytesDelivered / 1e9);
    }

    /** {@return payload delivered to all clients, in Mbit/s over the window} */
    public double deliveredMbitPerSecond() {
        return bytesDelivered * 8 / 1e6 / windowSeconds;
    }

    /** {@return what the engine sent, in Mbit/s over the window} */
    public double engineMbitPerSecond() {
        return engineBytes * 8 / 1e6 / windowSeconds;
    }

    /** {@return the report as an ordered map, ready for {@link JsonLine}} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "result");
        m.put("clients", options.clients());
        m.put("stuck", options.stuck());
        m.put("rate_bps", options.rate().bitsPerSecond());
        m.put("duration_s", options.duration().toMillis() / 1000.0);
        m.put("warmup_s", options.warmup().toMillis() / 1000.0);
        m.put("churn", options.churn());
        m.put("server_pid", serverPid);
        m.put("server_command", serverCommand);
        m.put("window_s", windowSeconds);
        m.put("bytes_delivered", bytesDelivered);
        m.put("delivered_mbps", deliveredMbitPerSecond());
        m.put("engine_bytes", engineBytes);
        m.put("engine_mbps", engineMbitPerSecond());
        m.put("server_cpu_s", serverCpuSeconds);
        m.put("server_cpu_ms_per_gb", cpuMillisPerGigabyte());
        m.put("server_peak_rss_bytes", serverPeakRssBytes);
        m.put("server_rss_bytes", serverRssBytes);
        m.put("server_heap_used_bytes", serverHeapUsedBytes);
        m.put("server_heap_max_sampled_bytes", maxSampledHeapUsedBytes);
        m.put("server_heap_source", "jcmd GC.heap_info");
        m.put("server_threads", serverThreads);
        m.put("server_fds", serverFds);
        m.put("tool_cpu_s", toolCpuSeconds);
        m.put("machine_busy", machineBusyFraction);
        m.put("fast_clients", fastClients);
        m.put("clients_kept_up", clientsKeptUp);
        m.put("fast_clients_lost", fastClientsLost);
        m.put("stuck_clients", stuckClients);
        m.put("stuck_disconnected", stuckDisconnected);
        m.put("first_client_ttfb_ms", firstClientTtfbMillis);
        m.put("join_ttfb_count", joinTtfb.count());
        m.put("join_ttfb_p50_ms", joinTtfb.p50Millis());
        m.put("join_ttfb_p99_ms", joinTtfb.p99Millis());
        m.put("join_ttfb_max_ms", joinTtfb.maxMillis());
        m.put("joiners_without_first_byte", joinersWithoutFirstByte);
        m.put("churn_clients", churnClients);
        m.put("churn_ttfb_p50_ms", churnTtfb.p50Millis());
        m.put("churn_ttfb_p99_ms", churnTtfb.p99Millis());
        m.put("bad_starts", badStarts);
        m.put("engine_getstream_calls", getstreamCalls);
        m.put("engine_playback_opens", playbackOpens);
        m.put("engine_second_reader_attempts", secondReaderAttempts);
        m.put("samples", samples.stream().map(ServerSample::toMap).toList());
        return m;
    }

    /** {@return a human-readable summary, several lines} */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "load: %d fast + %d stuck clients%s, engine %s, window %.1f s%n",
                options.clients(), options.stuck(), options.churn() ? " + churn" : "", options.rate(), windowSeconds));
        b.append(String.format(Locale.ROOT, "  delivered      %,d bytes (%.1f Mbit/s); engine sent %,d bytes (%.2f Mbit/s)%n",
                bytesDelivered, deliveredMbitPerSecond(), engineBytes, engineMbitPerSecond()));
        b.append(String.format(Locale.ROOT, "  server CPU     %.2f s = %.0f ms per GB delivered%n",
                serverCpuSeconds, cpuMillisPerGigabyte()));
        b.append(String.format(Locale.ROOT, "  server memory  peak RSS %.1f MiB, RSS %.1f MiB, heap used %s (jcmd GC.heap_info)%n",
                serverPeakRssBytes / 1048576.0, serverRssBytes / 1048576.0, mib(serverHeapUsedBytes)));
        b.append(String.format(Locale.ROOT, "  server         %d threads, %d fds%n", serverThreads, serverFds));
        b.append(String.format(Locale.ROOT, "  kept up        %d of %d fast clients (>= %.0f%% of the engine's bytes); %d lost%n",
                clientsKeptUp, fastClients, LoadTool.KEPT_UP_FRACTION * 100, fastClientsLost));
        if (stuckClients > 0) {
            b.append(String.format(Locale.ROOT, "  stuck          %d of %d disconnected by the server%n",
                    stuckDisconnected, stuckClients));
        }
        b.append(String.format(Locale.ROOT, "  first byte     cold start %.0f ms; joiners p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d measured, %d without)%n",
                firstClientTtfbMillis, joinTtfb.p50Millis(), joinTtfb.p99Millis(), joinTtfb.maxMillis(),
                joinTtfb.count(), joinersWithoutFirstByte));
        if (options.churn()) {
            b.append(String.format(Locale.ROOT, "  churn          %d clients, first byte p50 %.1f ms, p99 %.1f ms%n",
                    churnClients, churnTtfb.p50Millis(), churnTtfb.p99Millis()));
        }
        if (badStarts > 0) {
            b.append(String.format(Locale.ROOT, "  WARNING        %d clients' first byte was not 0x47%n", badStarts));
        }
        b.append(String.format(Locale.ROOT, "  engine         %d getstream calls, %d playback opens, %d second-reader attempts%n",
                getstreamCalls, playbackOpens, secondReaderAttempts));
        b.append(String.format(Locale.ROOT, "  this machine   %.0f%% busy in the window; the tool itself used %.2f s CPU%s%n",
                machineBusyFraction * 100, toolCpuSeconds,
                machineBusyFraction > 0.95 ? " (SATURATED: the figures are limited by the machine, not the server)" : ""));
        return b.toString();
    }

    private static String mib(OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%.1f MiB", bytes.getAsLong() / 1048576.0) : "n/a";
    }
}
