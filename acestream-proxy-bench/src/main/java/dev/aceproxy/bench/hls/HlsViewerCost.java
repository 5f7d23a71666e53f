package dev.aceproxy.bench.hls;

import dev.aceproxy.bench.load.HeapProbe;
import dev.aceproxy.bench.load.ProcFs;
import dev.aceproxy.bench.load.ServerProcess;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what HLS viewers cost the reference server: it runs the server's jar as a separate
 * process against an in-process {@link FakeAceEngine} (the bundled clip, about 1.7 Mbit/s), then
 * adds HLS viewers in steps. Each viewer behaves as hls.js does on a live playlist: it fetches the
 * playlist once per target duration (2 s) and every segment it has not fetched yet, reading and
 * dropping the bytes. For each step it reports the server process's CPU (from {@code /proc}, user
 * plus system, as a share of one core), its resident set, and its heap in use after a full GC
 * ({@code jcmd GC.run}, then {@code GC.heap_info}). Viewers are told apart by their user agent.
 *
 * <pre>
 * java -cp acestream-proxy-bench/target/benchmarks.jar dev.aceproxy.bench.hls.HlsViewerCost \
 *     --server-jar acestream-proxy-examples/target/acestream-proxy-server.jar [--steps 1,50,200] [--window 30s]
 * </pre>
 */
public final class HlsViewerCost {

    private static final String ID = "ace0ace0ace0ace0ace0ace0ace0ace0ace0ace0";
    private static final Duration POLL = Duration.ofSeconds(2);

    private HlsViewerCost() {
    }

    /**
     * Runs the measurement and prints one line per step.
     *
     * @param args {@code --server-jar PATH [--steps N,N,...] [--window DURATION-SECONDS]}
     * @throws Exception when the server cannot be run or measured
     */
    public static void main(String[] args) throws Exception {
        Path jar = null;
        List<Integer> steps = List.of(1, 50, 200);
        int windowSeconds = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server-jar" -> jar = Path.of(args[++i]);
                case "--steps" -> {
                    List<Integer> parsed = new ArrayList<>();
                    for (String s : args[++i].split(",")) {
                        parsed.add(Integer.parseInt(s.trim()));
                    }
                    steps = List.copyOf(parsed);
                }
                case "--window" -> windowSeconds = Integer.parseInt(args[++i].replace("s", ""));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("give --server-jar, the reference server's jar");
        }
        ProcFs proc = ProcFs.detect();
        HeapProbe heap = HeapProbe.ofRunningJdk();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InetSocketAddress address = new InetSocketAddress(loopback, freePort(loopback));
        Path log = Files.createTempFile("hls-viewer-cost-server", ".log");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong segments = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> viewers = new ArrayList<>();
        try (FakeAceEngine engine = FakeAceEngine.start();
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m", "-jar", jar.toAbsolutePath().toString(),
                    "--listen", address.getHostString() + ":" + address.getPort(),
                    "--engine", engine.baseUri().toString(),
                    // Every viewer counts as a player and all come from loopback: lift the
                    // server's default bounds (64 players, 256 connections per address).
                    "--max-clients=0", "--max-connections-per-address=0");
            try (ServerProcess server = ServerProcess.launch(command, log, address, Duration.ofSeconds(60))) {
                URI manifest = URI.create("http://" + address.getHostString() + ":" + address.getPort()
                        + "/ace/manifest.m3u8?id=" + ID);
                System.out.println("# server pid " + server.pid() + ", engine " + engine.bitsPerSecond()
                        + " bit/s, window " + windowSeconds + " s per step, " + proc.clockTicksPerSecond()
                        + " clock ticks/s");
                System.out.println("viewers cpu_core_percent rss_mib heap_after_gc_mib segments_per_s mbit_per_s"
                        + " viewer_errors");
                for (int step : steps) {
                    while (viewers.size() < step) {
                        String agent = "hls-cost-viewer-" + viewers.size();
                        viewers.add(Thread.ofVirtual().start(() -> view(http, manifest, agent, running, segments,
                                bytes, errors)));
                    }
                    // Let the new viewers settle (first playlist, first segments), then measure.
                    Thread.sleep(2 * POLL.toMillis());
                    long ticks0 = proc.stat(server.pid()).totalTicks();
                    long seg0 = segments.get();
                    long bytes0 = bytes.get();
                    long t0 = System.nanoTime();
                    Thread.sleep(TimeUnit.SECONDS.toMillis(windowSeconds));
                    long ticks1 = proc.stat(server.pid()).totalTicks();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long rss = proc.status(server.pid()).rssBytes();
                    OptionalLong used = heapAfterGc(heap, server.pid());
                    System.out.println(String.format(Locale.ROOT, "%d %.2f %.1f %s %.1f %.2f %d", step,
                            100 * proc.seconds(ticks1 - ticks0) / seconds, rss / 1048576.0,
                            used.isPresent() ? String.format(Locale.ROOT, "%.1f", used.getAsLong() / 1048576.0) : "n/a",
                            (segments.get() - seg0) / seconds, (bytes.get() - bytes0) * 8 / seconds / 1e6,
                            errors.get()));
                }
                running.set(false);
                for (Thread v : viewers) {
                    v.join(10_000);
                }
            }
        } finally {
            running.set(false);
            Files.deleteIfExists(log);
        }
    }

    /** One viewer: the playlist every poll interval, each new segment once. */
    private static void view(HttpClient http, URI manifest, String agent, AtomicBoolean running, AtomicLong segments,
                             AtomicLong bytes, AtomicLong errors) {
        long fetchedUpTo = -1;
        byte[] buffer = new byte[64 * 1024];
        while (running.get()) {
            long started = System.nanoTime();
            try {
                HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(manifest).header("User-Agent", agent)
                        .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
                if (playlist.statusCode() != 200) {
                    errors.incrementAndGet();
                } else {
                    long sequence = -1;
                    List<String> uris = new ArrayList<>();
                    for (String line : playlist.body().split("\n")) {
                        if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                            sequence = Long.parseLong(line.substring(line.indexOf(':') + 1));
                        } else if (!line.startsWith("#") && !line.isEmpty()) {
                            uris.add(line);
                        }
                    }
                    if (fetchedUpTo < 0) {
                        // As hls.js on a live playlist: start three segments from the end.
                        fetchedUpTo = sequence + uris.size() - 4;
                    }
                    for (int k = 0; k < uris.size(); k++) {
                        long s = sequence + k;
                        if (s > fetchedUpTo && fetch(http, manifest.resolve(uris.get(k)), agent, buffer, segments,
                                bytes, errors)) {
                            fetchedUpTo = s;
                        }
                    }
                }
            } catch (IOException e) {
                errors.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
            long left = POLL.toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static boolean fetch(HttpClient http, URI segment, String agent, byte[] buffer, AtomicLong segments,
                                 AtomicLong bytes, AtomicLong errors) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(segment).header("User-Agent", agent)
                .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (r.statusCode() != 200) {
                errors.incrementAndGet();
                return false;
            }
            for (int n; (n = body.read(buffer)) > 0; ) {
                bytes.addAndGet(n);
            }
        }
        segments.incrementAndGet();
        return true;
    }

    private static OptionalLong heapAfterGc(HeapProbe heap, long pid) throws InterruptedException {
        try {
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return heap.usedBytes(pid);
    }

    private static int freePort(InetAddress loopback) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            return s.getLocalPort();
        }
    }
}
