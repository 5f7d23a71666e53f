package dev.aceproxy.bench.compare;

import dev.aceproxy.bench.load.LatencySummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Players that are curl processes: {@code curl -s -N --parallel --parallel-immediate
 * --parallel-max N -m SECS}, body to {@code /dev/null}, one {@link CurlTransfer#FORMAT} line per
 * transfer. curl runs at most {@value #MAX_PARALLEL} transfers at once whatever
 * {@code --parallel-max} asks (curl 7.88), so a larger herd is split over several curl processes
 * started together. Every process is destroyed by
 * {@link #close()} and by a shutdown hook.
 */
public final class CurlPlayers implements Players {

    /** The most transfers one curl process runs at once. */
    public static final int MAX_PARALLEL = 300;

    private final String url;
    private final int port;
    private final Path workDir;
    private final String filePrefix;
    private final List<Started> processes = new ArrayList<>();
    private final Thread killer = new Thread(this::destroyAll, "compare-curl-killer");
    private long plannedEndNanos;

    private record Started(Process process, Path output, boolean starter, int transfers) {
    }

    /**
     * Prepares the players; nothing runs yet.
     *
     * @param url the stream's url
     * @param port the server's port (whose connections {@link SocketBytes} counts)
     * @param workDir where curl's config and output files go
     * @param filePrefix the start of those files' names
     */
    public CurlPlayers(String url, int port, Path workDir, String filePrefix) {
        this.url = url;
        this.port = port;
        this.workDir = workDir;
        this.filePrefix = filePrefix;
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * The curl command for {@code count} transfers of {@code url}, reading its urls from a config file.
     *
     * @param count how many transfers, at most {@link #MAX_PARALLEL}
     * @param playFor each transfer's {@code -m}
     * @param config the config file that {@link #config} wrote
     * @return the command line
     */
    public static List<String> command(int count, Duration playFor, Path config) {
        String seconds = String.format(Locale.ROOT, "%.1f", playFor.toMillis() / 1000.0);
        return List.of("curl", "-s", "-N", "--parallel", "--parallel-immediate", "--parallel-max",
                Integer.toString(count), "-m", seconds, "-w", CurlTransfer.FORMAT,
                "-K", config.toString());
    }

    /**
     * The config file's text: {@code count} times the url, each to {@code /dev/null}.
     *
     * @param url the url
     * @param count how many times
     * @return the text
     */
    public static String config(String url, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append("url = \"").append(url).append("\"\noutput = \"/dev/null\"\n");
        }
        return b.toString();
    }

    @Override
    public void startStarter(Duration playFor) throws IOException {
        launch(1, playFor, true);
    }

    @Override
    public void startHerd(int count, Duration playFor) throws IOException {
        for (int left = count; left > 0; left -= MAX_PARALLEL) {
            launch(Math.min(left, MAX_PARALLEL), playFor, false);
        }
    }

    private void launch(int count, Duration playFor, boolean starter) throws IOException {
        int n = processes.size();
        Path config = workDir.resolve(filePrefix + "-curl-" + n + ".conf");
        Path output = workDir.resolve(filePrefix + "-curl-" + n + ".out");
        Files.writeString(config, config(url, count), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(command(count, playFor, config))
                .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(new Started(p, output, starter, count));
        plannedEndNanos = Math.max(plannedEndNanos, System.nanoTime() + playFor.toNanos());
    }

    @Override
    public long bytesSoFar() throws IOException, InterruptedException {
        return SocketBytes.toPort(port);
    }

    @Override
    public PlayerOutcome finish(Duration grace) throws IOException, InterruptedException {
        long deadline = plannedEndNanos + grace.toNanos();
        for (Started s : processes) {
            long left = deadline - System.nanoTime();
            if (!s.process().waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
                s.process().destroyForcibly();
                s.process().waitFor(5, TimeUnit.SECONDS);
            }
        }
        long total = 0;
        double starterMillis = Double.NaN;
        List<Long> herdNanos = new ArrayList<>();
        int herdWithout = 0;
        int failed = 0;
        for (Started s : processes) {
            List<CurlTransfer> transfers = CurlTransfer.parse(Files.readString(s.output(), StandardCharsets.UTF_8));
            // a process destroyed before writing every line: its missing transfers count as failed
            int missing = Math.max(0, s.transfers() - transfers.size());
            failed += missing;
            if (!s.starter()) {
                herdWithout += missing;
            }
            for (CurlTransfer t : transfers) {
                total += t.bytes();
                if (!t.playedToTheEnd()) {
                    failed++;
                }
                if (s.starter()) {
                    starterMillis = t.bytes() > 0 ? t.firstByteSeconds() * 1000 : Double.NaN;
                } else if (t.bytes() > 0) {
                    herdNanos.add((long) (t.firstByteSeconds() * 1e9));
                } else {
                    herdWithout++;
                }
            }
        }
        return new PlayerOutcome(total, starterMillis,
                LatencySummary.ofNanos(herdNanos.stream().mapToLong(Long::longValue).toArray()), herdWithout, failed);
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now and does the same
        }
    }

    private void destroyAll() {
        for (Started s : processes) {
            s.process().destroyForcibly();
        }
    }
}
