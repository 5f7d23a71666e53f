package dev.aceproxy.bench.compare;

import dev.aceproxy.bench.load.JsonLine;
import dev.aceproxy.bench.load.MachineCpu;
import dev.aceproxy.bench.load.ProcFs;
import dev.aceproxy.bench.load.ServerProcess;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The side-by-side comparison. For each client kind and player count it runs ours, acexy and the
 * floor one after another, each against a fresh fake engine pacing the testkit clip, with the same
 * clients: one starter, {@code --warmup} later the rest of the players at once, all stopping
 * together. It measures the target's process tree from {@code /proc} over the whole run and over a
 * steady window, prints a table with the ratios ours / floor and ours / acexy, and writes every
 * figure as JSON. Every process it starts is stopped at the end of its run, and by shutdown hooks
 * on Ctrl-C.
 *
 * <p>Run: {@code java -cp acestream-proxy-bench/target/benchmarks.jar dev.aceproxy.bench.compare.Compare --help}
 */
public final class Compare {

    private static final Duration FINISH_GRACE = Duration.ofSeconds(10);

    /** How far from the engine's rate a player's steady-window share may be before it is flagged. */
    private static final double UNEVEN = 0.1;

    private final CompareOptions options;
    private final PrintStream progress;
    private final ProcFs proc;
    private final TargetLauncher launcher;
    private final Path workDir;

    private Compare(CompareOptions options, PrintStream progress, ProcFs proc, Path workDir) {
        this.options = options;
        this.progress = progress;
        this.proc = proc;
        this.workDir = workDir;
        this.launcher = new TargetLauncher(options.serverJar(), options.oursJvmArgs(), options.peers(),
                options.startTimeout(), options.acexyBuffer());
    }

    /**
     * Command-line entry point: progress on stderr, the table on stdout, the JSON to {@code --json}.
     * Exit status 0 after the runs (a run that failed is reported in the table and the JSON), 1 when
     * nothing could be run, 2 on a bad command line.
     *
     * @param args see {@link CompareOptions#USAGE}
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(CompareOptions.USAGE);
            return;
        }
        CompareOptions options;
        try {
            options = CompareOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("compare: " + e.getMessage());
            System.err.print(CompareOptions.USAGE);
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            run(options, System.err, System.out);
        } catch (IOException e) {
            System.err.println("compare: " + e.getMessage());
            status = 1;
        } catch (InterruptedException e) {
            System.err.println("compare: interrupted");
            status = 130;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * Makes every run of the matrix, prints the table to {@code table} and writes the JSON.
     *
     * @param options the settings
     * @param progress where progress lines and warnings go
     * @param table where the table goes
     * @return the runs made; a run that failed is in the JSON's failures and not here
     * @throws IOException when the machine cannot hold the largest run, a target's program is
     *         missing, or the JSON cannot be written
     * @throws InterruptedException when interrupted; the run in progress is stopped first
     */
    public static List<RunResult> run(CompareOptions options, PrintStream progress, PrintStream table)
            throws IOException, InterruptedException {
        if (!ProcFs.available()) {
            throw new IOException("compare reads /proc: it runs on Linux only");
        }
        List<String> problems = HostLimits.check(options.maxPlayers());
        if (!problems.isEmpty()) {
            throw new IOException(String.join("; ", problems));
        }
        Path work = Files.createTempDirectory("aceproxy-compare-");
        return new Compare(options, progress, ProcFs.detect(), work).runAll(table);
    }

    private List<RunResult> runAll(PrintStream table) throws IOException, InterruptedException {
        for (Target t : options.targets()) {
            launcher.check(t);
        }
        if (options.clients().contains(ClientKind.CURL)) {
            requireTool("curl", "--version");
            requireTool("ss", "-V");
        }
        progress.println("compare: logs and curl files in " + workDir);
        Instant started = Instant.now();
        List<RunResult> results = new ArrayList<>();
        List<Map<String, Object>> failures = new ArrayList<>();
        for (ClientKind kind : options.clients()) {
            for (int players : options.counts()) {
                for (Target target : options.targets()) {
                    String name = target.label() + " / " + kind.label() + " / "
                            + (players == 0 ? "idle" : players + " players");
                    progress.println("compare: " + name);
                    try {
                        RunResult r = runOne(target, kind, players);
                        results.add(r);
                        progress.println("compare:   " + headline(r));
                        for (String w : r.warnings()) {
                            progress.println("compare:   warning: " + w);
                        }
                    } catch (IOException e) {
                        progress.println("compare:   FAILED: " + e.getMessage());
                        Map<String, Object> f = new LinkedHashMap<>();
                        f.put("target", target.label());
                        f.put("clients", kind.label());
                        f.put("players", players);
                        f.put("error", e.getMessage());
                        failures.add(f);
                    }
                }
            }
        }
        List<ComparisonTable.Row> rows = ComparisonTable.rows(results);
        table.print(ComparisonTable.render(rows));
        for (Map<String, Object> f : failures) {
            table.println("FAILED: " + f);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", started.toString());
        json.put("finished", Instant.now().toString());
        json.put("rate_bps", options.rate().bitsPerSecond());
        json.put("warmup_s", options.warmup().toMillis() / 1000.0);
        json.put("duration_s", options.duration().toMillis() / 1000.0);
        json.put("settle_s", options.settle().toMillis() / 1000.0);
        json.put("tail_s", options.tail().toMillis() / 1000.0);
        json.put("idle_s", options.idle().toMillis() / 1000.0);
        json.put("ours_jvm_args", concat(TargetLauncher.LAUNCHER_JVM_DEFAULTS, options.oursJvmArgs()));
        json.put("acexy_buffer_size", options.acexyBuffer());
        json.put("rows", ComparisonTable.toMaps(rows));
        json.put("runs", results.stream().map(RunResult::toMap).toList());
        json.put("failures", failures);
        Files.writeString(options.json(), JsonLine.of(json) + "\n", StandardCharsets.UTF_8);
        progress.println("compare: JSON written to " + options.json().toAbsolutePath());
        return List.copyOf(results);
    }

    private RunResult runOne(Target target, ClientKind kind, int players) throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        Path log = workDir.resolve(target.label() + "-" + kind.label() + "-" + players + ".log");
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(options.rate().bitsPerSecond()).start()) {
            InetSocketAddress address = new InetSocketAddress(loopback, freePort(loopback));
            try (ServerProcess server = launcher.start(target, address, engine.baseUri(), options.contentId(), log);
                 RssSampler rss = new RssSampler(server.pid())) {
                MachineCpu machineBefore = proc.machine();
                RunResult r = players == 0 ? idle(target, kind, engine, server, rss)
                        : play(target, kind, players, engine, server, rss, address);
                double busy = proc.machine().busyFractionSince(machineBefore);
                if (!server.isAlive()) {
                    throw new IOException(target.label() + " died during the run; log " + log + ":\n"
                            + server.logTail(20));
                }
                List<String> warnings = new ArrayList<>(r.warnings());
                warnings.add(String.format(Locale.ROOT, "machine busy %.0f%% during the run", busy * 100));
                return new RunResult(r.target(), r.clients(), r.players(), r.whole(), r.steady(), r.outcome(),
                        r.peakRssBytes(), r.engineBytes(), r.engineGetstreams(), r.enginePlaybackOpens(), warnings);
            }
        }
    }

    private RunResult idle(Target target, ClientKind kind, FakeAceEngine engine, ServerProcess server,
                           RssSampler rss) throws IOException, InterruptedException {
        Thread.sleep(options.settle());
        Mark a = mark(server, 0, engine);
        Thread.sleep(options.idle());
        Mark b = mark(server, 0, engine);
        WindowFigures w = WindowFigures.between(a, b, proc.clockTicksPerSecond());
        return new RunResult(target, kind, 0, w, w, Optional.empty(), rss.peakBytes(), engine.bytesSent(),
                engine.getstreamCalls(), engine.playbackOpens(), List.of());
    }

    private RunResult play(Target target, ClientKind kind, int players, FakeAceEngine engine, ServerProcess server,
                           RssSampler rss, InetSocketAddress address) throws IOException, InterruptedException {
        String path = "/ace/getstream?id=" + options.contentId();
        List<String> warnings = new ArrayList<>();
        try (Players clients = kind == ClientKind.CURL
                ? new CurlPlayers("http://" + address.getHostString() + ":" + address.getPort() + path,
                        address.getPort(), workDir, target.label() + "-" + players)
                : new ReaderPlayers(address, path, options.selectors())) {
            Mark wholeStart = mark(server, 0, engine);
            long starterAt = System.nanoTime();
            Duration runLength = options.warmup().plus(options.duration());
            clients.startStarter(runLength);
            sleepUntil(starterAt + options.warmup().toNanos());
            long herdAt = System.nanoTime();
            Duration herdPlays = Duration.ofNanos(starterAt + runLength.toNanos() - herdAt);
            if (players > 1) {
                clients.startHerd(players - 1, herdPlays);
            }
            long[] steady = WindowFigures.steadyBounds(herdAt, herdPlays, options.settle(), options.tail());
            sleepUntil(steady[0]);
            Mark steadyStart = mark(server, clients.bytesSoFar(), engine);
            sleepUntil(steady[1]);
            Mark steadyEnd = mark(server, clients.bytesSoFar(), engine);
            PlayerOutcome outcome = clients.finish(FINISH_GRACE);
            Mark wholeEnd = mark(server, outcome.totalBytes(), engine);
            if (outcome.herdFirstByte().maxMillis() > options.settle().toMillis()) {
                warnings.add("a joiner's first byte came " + Math.round(outcome.herdFirstByte().maxMillis())
                        + " ms after the herd started, after the steady window began");
            }
            if (outcome.herdWithoutFirstByte() > 0 || outcome.failed() > 0) {
                warnings.add(outcome.herdWithoutFirstByte() + " joiners got no byte, " + outcome.failed()
                        + " players failed or were cut off");
            }
            WindowFigures steadyWindow = WindowFigures.between(steadyStart, steadyEnd, proc.clockTicksPerSecond());
            double share = steadyWindow.deliveredShare(players);
            if (steadyWindow.engineBytes() <= 0) {
                warnings.add("the engine sent nothing in the steady window: the target stopped reading it");
            } else if (!(share >= 1 - UNEVEN && share <= 1 + UNEVEN)) {
                warnings.add(String.format(Locale.ROOT, "in the steady window each player got %.0f%% of what the"
                        + " engine sent: players fell behind, or the target delivers in bursts larger than the"
                        + " window can average (acexy: ACEXY_BUFFER_SIZE, see --acexy-buffer)", share * 100));
            }
            if (Double.isNaN(outcome.starterFirstByteMillis())) {
                warnings.add("the first player got no byte");
            }
            return new RunResult(target, kind, players,
                    WindowFigures.between(wholeStart, wholeEnd, proc.clockTicksPerSecond()),
                    steadyWindow, Optional.of(outcome),
                    rss.peakBytes(), engine.bytesSent(), engine.getstreamCalls(), engine.playbackOpens(), warnings);
        }
    }

    /** Fails with a clear message when a program the curl clients need cannot be run. */
    private static void requireTool(String program, String versionFlag) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(program, versionFlag).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() == 0) {
                return;
            }
        } catch (IOException missing) {
            // reported below
        }
        throw new IOException("curl clients need " + program + " (curl, and ss from iproute2) on the PATH;"
                + " install it or use --clients readers");
    }

    private static String headline(RunResult r) {
        return String.format(Locale.ROOT, "whole %.0f ms/GB, steady %.0f ms/GB (%.1f ms/s), peak RSS %.1f MB, "
                        + "first byte p99 %.0f ms", r.whole().cpuMillisPerGb(), r.steady().cpuMillisPerGb(),
                r.steady().cpuMillisPerSecond(), r.peakRssBytes() / 1e6,
                r.outcome().map(o -> o.herdFirstByte().p99Millis()).orElse(Double.NaN));
    }

    private static Mark mark(ServerProcess server, long bytes, FakeAceEngine engine) throws IOException {
        ProcTree.Usage u = ProcTree.read(server.pid());
        if (u.processes() == 0) {
            throw new IOException("the target (pid " + server.pid() + ") is gone; log " + server.log() + ":\n"
                    + server.logTail(20));
        }
        return new Mark(System.nanoTime(), u.userTicks(), u.systemTicks(), bytes, engine.bytesSent());
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    private static int freePort(InetAddress loopback) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            return s.getLocalPort();
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
