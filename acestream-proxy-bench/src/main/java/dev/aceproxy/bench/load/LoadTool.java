package dev.aceproxy.bench.load;

import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The end-to-end load tool. It starts the fake engine in this process at the given rate and the
 * reference server as a separate JVM (the same {@code java} that runs this tool) on a free
 * loopback port, opens one client that starts the stream and the stuck clients, lets the stream
 * run for the warm-up, lets the other clients join, measures a window, and reports. It always stops
 * by itself and kills the server it started, also on Ctrl-C.
 *
 * <p>Run: {@code java -cp acestream-proxy-bench/target/benchmarks.jar dev.aceproxy.bench.load.LoadTool --help}
 */
public final class LoadTool {

    /** A fast client kept up when it received at least this share of what the engine sent in the window. */
    public static final double KEPT_UP_FRACTION = 0.9;

    private static final Duration POLL = Duration.ofMillis(20);

    /** How long the stuck clients may drain after the window to show whether the server dropped them. */
    private static final Duration STUCK_DRAIN = Duration.ofSeconds(3);

    private final LoadOptions options;
    private final PrintStream progress;
    private final ProcFs proc;
    private final HeapProbe heap = HeapProbe.ofRunningJdk();
    private final List<ServerSample> samples = new ArrayList<>();
    private long serverStartNanos;

    private LoadTool(LoadOptions options, PrintStream progress, ProcFs proc) {
        this.options = options;
        this.progress = progress;
        this.proc = proc;
    }

    /**
     * Command-line entry point: progress and the summary go to stderr, one JSON line to stdout.
     * Exit status 0 after a run, 1 when the run could not be made, 2 on a bad command line.
     *
     * @param args see {@link LoadOptions#USAGE}
     */
    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            LoadReport report = run(options, System.err);
            System.err.print(report.summary());
            System.out.println(JsonLine.of(report.toMap()));
        } catch (IOException e) {
            System.err.println("load: " + e.getMessage());
            status = 1;
        } catch (InterruptedException e) {
            System.err.println("load: interrupted");
            status = 130;
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * Makes one run.
     *
     * @param options the settings
     * @param progress where progress lines go
     * @return the figures
     * @throws IOException when the server jar is missing, the server does not start, or the
     *         first client gets no byte in time
     * @throws InterruptedException when interrupted; everything started is stopped first
     */
    public static LoadReport run(LoadOptions options, PrintStream progress) throws IOException, InterruptedException {
        if (!ProcFs.available()) {
            throw new IOException("the load tool reads /proc: it runs on Linux only");
        }
        if (!Files.isRegularFile(options.serverJar())) {
            throw new IOException("no server jar at " + options.serverJar().toAbsolutePath()
                    + " (build it: mvn -B -q -DskipTests package)");
        }
        return new LoadTool(options, progress, ProcFs.detect()).run();
    }

    private LoadReport run() throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        Path log = options.serverLog().isPresent() ? options.serverLog().get()
                : Files.createTempFile("aceproxy-load-server-", ".log");
        try (FakeAceEngine engine = FakeAceEngine.builder().bitrate(options.rate().bitsPerSecond()).start()) {
            InetSocketAddress address = new InetSocketAddress(loopback, freePort(loopback));
            List<String> command = serverCommand(address, engine);
            progress.println("load: starting server: " + String.join(" ", command));
            progress.println("load: server log: " + log);
            try (ServerProcess server = ServerProcess.launch(command, log, address, options.startTimeout())) {
                serverStartNanos = System.nanoTime();
                progress.println("load: server pid " + server.pid() + " listening on " + address);
                try (ClientFleet fleet = new ClientFleet(address, "/ace/getstream?id=" + options.contentId(),
                        options.selectors(), options.readBufferBytes(), options.stuckReadBytesPerSecond())) {
                    return drive(engine, server, fleet);
                }
            }
        }
    }

    private LoadReport drive(FakeAceEngine engine, ServerProcess server, ClientFleet fleet)
            throws IOException, InterruptedException {
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(2,
                Thread.ofPlatform().name("load-timer-", 0).daemon(true).factory());
        try {
            if (options.sample().isPresent()) {
                long every = options.sample().get().toMillis();
                timers.scheduleAtFixedRate(() -> sample(server, fleet), every, every, TimeUnit.MILLISECONDS);
            }
            StreamConnection starter = fleet.open(ClientRole.STARTER, 0);
            if (!awaitFirstBytes(List.of(starter), options.startTimeout(), server)) {
                throw new IOException("the first client got no byte within " + options.startTimeout() + " ("
                        + Optional.ofNullable(starter.failure()).orElse("no failure reported")
                        + "); server log " + server.log() + ":\n" + server.logTail(30));
            }
            double coldTtfbMillis = starter.timeToFirstByteNanos() / 1e6;
            progress.printf("load: stream started, first byte after %.0f ms%n", coldTtfbMillis);
            for (int i = 0; i < options.stuck(); i++) {
                fleet.open(ClientRole.STUCK, options.stuckReceiveBufferBytes());
            }
            sleepWhileAlive(options.warmup(), server);
            requireAlive(server);

            int joinerCount = options.clients() - 1;
            progress.printf("load: warm-up done, %d joiners arriving%s%n", joinerCount,
                    options.ramp().isZero() ? "" : " over " + DurationText.format(options.ramp()));
            List<StreamConnection> joiners = new ArrayList<>(joinerCount);
            long gapNanos = joinerCount == 0 ? 0 : options.ramp().toNanos() / joinerCount;
            for (int i = 0; i < joinerCount; i++) {
                joiners.add(fleet.open(ClientRole.JOINER, 0));
                if (gapNanos > 0) {
                    Thread.sleep(Duration.ofNanos(gapNanos));
                }
            }
            awaitFirstBytes(joiners, options.joinTimeout(), server);

            progress.printf("load: measuring for %s%n", DurationText.format(options.duration()));
            AtomicReference<StreamConnection> churning = new AtomicReference<>();
            Window start = mark(engine, server, fleet);
            if (options.churn()) {
                timers.scheduleAtFixedRate(() -> {
                    StreamConnection previous = churning.getAndSet(fleet.open(ClientRole.CHURN, 0));
                    if (previous != null) {
                        previous.close();
                    }
                }, 0, 1, TimeUnit.SECONDS);
            }
            sleepWhileAlive(options.duration(), server);
            requireAlive(server);
            Window end = mark(engine, server, fleet);
            timers.shutdownNow();
            OptionalLong heapUsed = heap.usedBytes(server.pid());
            ProcStatus status = end.serverStatus;
            int fds = proc.openFileDescriptors(server.pid());
            int stuckDisconnected = drainStuck(fleet);
            return report(engine, server, fleet, start, end, coldTtfbMillis, joiners, heapUsed, status, fds,
                    stuckDisconnected);
        } finally {
            timers.shutdownNow();
            timers.awaitTermination(25, TimeUnit.SECONDS);
        }
    }

    private LoadReport report(FakeAceEngine engine, ServerProcess server, ClientFleet fleet, Window start, Window end,
                              double coldTtfbMillis, List<StreamConnection> joiners, OptionalLong heapUsed,
                              ProcStatus status, int fds, int stuckDisconnected) {
        long engineBytes = end.engineBytes - start.engineBytes;
        long delivered = 0;
        int fast = 0;
        int keptUp = 0;
        int fastLost = 0;
        int stuck = 0;
        int badStarts = 0;
        List<Long> churnTtfb = new ArrayList<>();
        for (StreamConnection c : fleet.connections()) {
            long before = start.bytes.getOrDefault(c.id(), 0L);
            long after = end.bytes.getOrDefault(c.id(), c.payloadBytes());
            long got = after - before;
            delivered += got;
            boolean goneByEnd = end.outcomes.getOrDefault(c.id(), c.outcome()) != StreamConnection.Outcome.OPEN
                    && end.outcomes.getOrDefault(c.id(), c.outcome()) != StreamConnection.Outcome.CLOSED;
            if (c.hasFirstByte() && !c.startedOnSyncByte()) {
                badStarts++;
            }
            switch (c.role()) {
                case STARTER, JOINER -> {
                    fast++;
                    if (got >= KEPT_UP_FRACTION * engineBytes && engineBytes > 0) {
                        keptUp++;
                    }
                    if (goneByEnd) {
                        fastLost++;
                    }
                }
                case STUCK -> stuck++;
                case CHURN -> {
                    if (c.hasFirstByte()) {
                        churnTtfb.add(c.timeToFirstByteNanos());
                    }
                }
            }
        }
        long[] joinNanos = joiners.stream().filter(StreamConnection::hasFirstByte)
                .mapToLong(StreamConnection::timeToFirstByteNanos).toArray();
        int withoutFirstByte = (int) joiners.stream().filter(j -> !j.hasFirstByte()).count();
        int churnCount = (int) fleet.connections().stream().filter(c -> c.role() == ClientRole.CHURN).count();
        double window = (end.nanos - start.nanos) / 1e9;
        List<ServerSample> sampled;
        synchronized (samples) {
            sampled = List.copyOf(samples);
        }
        OptionalLong maxHeap = sampled.stream().map(ServerSample::heapUsedBytes).filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong).max();
        if (heapUsed.isPresent() && (maxHeap.isEmpty() || heapUsed.getAsLong() > maxHeap.getAsLong())) {
            maxHeap = heapUsed;
        }
        return new LoadReport(options, server.pid(), server.command(), window, delivered, engineBytes,
                proc.seconds(end.server.totalTicks() - start.server.totalTicks()),
                proc.seconds(end.tool.totalTicks() - start.tool.totalTicks()),
                end.machine.busyFractionSince(start.machine),
                status.peakRssBytes(), status.rssBytes(), heapUsed, maxHeap, status.threads(), fds, fast, keptUp,
                fastLost, stuck, stuckDisconnected, coldTtfbMillis, LatencySummary.ofNanos(joinNanos), withoutFirstByte,
                LatencySummary.ofNanos(churnTtfb.stream().mapToLong(Long::longValue).toArray()), churnCount,
                badStarts, engine.getstreamCalls(), engine.playbackOpens(), engine.secondReaderAttempts(), sampled);
    }

    /**
     * Finds out which stuck clients the server has dropped: a dropped client's socket is closed on
     * the server with the kernel's send buffer still full, so the client sees the end only after
     * reading it. The stuck clients read as fast as they can for at most {@link #STUCK_DRAIN}; those
     * that reach the end (or a reset) were dropped, those still open after it were not.
     */
    private int drainStuck(ClientFleet fleet) throws InterruptedException {
        List<StreamConnection> stuck = fleet.connections().stream().filter(c -> c.role() == ClientRole.STUCK).toList();
        if (stuck.isEmpty()) {
            return 0;
        }
        fleet.releaseStuck();
        long deadline = System.nanoTime() + STUCK_DRAIN.toNanos();
        while (System.nanoTime() - deadline < 0
                && stuck.stream().anyMatch(c -> c.outcome() == StreamConnection.Outcome.OPEN)) {
            Thread.sleep(POLL);
        }
        return (int) stuck.stream().filter(c -> c.outcome() == StreamConnection.Outcome.ENDED_BY_SERVER
                || c.outcome() == StreamConnection.Outcome.FAILED).count();
    }

    private List<String> serverCommand(InetSocketAddress address, FakeAceEngine engine) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options.serverJvmArgs());
        command.add("-jar");
        command.add(options.serverJar().toAbsolutePath().normalize().toString());
        command.add("--listen");
        command.add(address.getHostString() + ":" + address.getPort());
        command.add("--engine");
        command.add(engine.baseUri().toString());
        // The server's safe defaults bound players and connections from one address; a load run
        // is all on loopback and exceeds them on purpose, unless the run sets them itself.
        for (String flag : List.of("--max-streams", "--max-streams-per-engine", "--max-new-streams-per-address",
                "--max-clients", "--max-connections", "--max-connections-per-address")) {
            if (options.serverArgs().stream().noneMatch(a -> a.equals(flag) || a.startsWith(flag + "="))) {
                command.add(flag + "=0");
            }
        }
        command.addAll(options.serverArgs());
        return command;
    }

    private static int freePort(InetAddress loopback) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            return s.getLocalPort();
        }
    }

    /** Waits until every connection has its first byte, the timeout passes, or the server dies. */
    private static boolean awaitFirstBytes(List<StreamConnection> connections, Duration timeout, ServerProcess server)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean all = true;
            for (StreamConnection c : connections) {
                if (!c.hasFirstByte() && c.outcome() == StreamConnection.Outcome.OPEN) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return connections.stream().allMatch(StreamConnection::hasFirstByte);
            }
            if (System.nanoTime() - deadline > 0 || !server.isAlive()) {
                return false;
            }
            Thread.sleep(POLL);
        }
    }

    private void sleepWhileAlive(Duration d, ServerProcess server) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (!server.isAlive()) {
                return;
            }
            Thread.sleep(Duration.ofNanos(Math.min(left, 250_000_000L)));
        }
    }

    private void sample(ServerProcess server, ClientFleet fleet) {
        try {
            if (!server.isAlive()) {
                return;
            }
            ProcStatus status = proc.status(server.pid());
            ProcStat stat = proc.stat(server.pid());
            int fds = proc.openFileDescriptors(server.pid());
            OptionalLong heapUsed = heap.usedBytes(server.pid());
            int open = (int) fleet.connections().stream()
                    .filter(c -> c.outcome() == StreamConnection.Outcome.OPEN).count();
            ServerSample s = new ServerSample((System.nanoTime() - serverStartNanos) / 1e9, status.threads(),
                    heapUsed, status.rssBytes(), fds, open, proc.seconds(stat.totalTicks()));
            synchronized (samples) {
                samples.add(s);
            }
            progress.println("load: " + s.line());
        } catch (IOException e) {
            progress.println("load: sample failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void requireAlive(ServerProcess server) throws IOException {
        if (!server.isAlive()) {
            throw new IOException("the server died during the run (exit code " + server.exitCode().orElse(-1)
                    + "); log " + server.log() + ":\n" + server.logTail(30));
        }
    }

    private Window mark(FakeAceEngine engine, ServerProcess server, ClientFleet fleet) throws IOException {
        Map<Long, Long> bytes = new HashMap<>();
        Map<Long, StreamConnection.Outcome> outcomes = new HashMap<>();
        long nanos = System.nanoTime();
        long engineBytes = engine.bytesSent();
        for (StreamConnection c : fleet.connections()) {
            bytes.put(c.id(), c.payloadBytes());
            outcomes.put(c.id(), c.outcome());
        }
        ProcStat serverStat = proc.stat(server.pid());
        ProcStatus serverStatus = proc.status(server.pid());
        ProcStat tool = proc.stat(ProcessHandle.current().pid());
        MachineCpu machine = proc.machine();
        return new Window(nanos, engineBytes, bytes, outcomes, serverStat, serverStatus, tool, machine);
    }

    private record Window(long nanos, long engineBytes, Map<Long, Long> bytes,
                          Map<Long, StreamConnection.Outcome> outcomes, ProcStat server, ProcStatus serverStatus,
                          ProcStat tool, MachineCpu machine) {
    }
}
