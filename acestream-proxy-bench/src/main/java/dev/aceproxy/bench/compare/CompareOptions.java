package dev.aceproxy.bench.compare;

import dev.aceproxy.bench.load.BitRate;
import dev.aceproxy.bench.load.DurationText;
import dev.aceproxy.bench.load.LoadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The comparison's settings.
 *
 * @param targets the servers to run, in order
 * @param counts player counts; 0 is the idle run
 * @param clients which clients play
 * @param rate the fake engine's pacing
 * @param warmup how long the first player plays before the herd joins
 * @param duration how long the herd plays
 * @param settle how long after the herd's start the steady window begins
 * @param tail how long before the players stop the steady window ends
 * @param idle the idle run's window
 * @param serverJar the reference server's jar
 * @param peers the directory with {@code acexy-bin} and {@code floor}
 * @param oursJvmArgs JVM options for ours after the launcher's defaults
 * @param json where the JSON result goes
 * @param selectors selector threads for the readers
 * @param startTimeout how long a target may take to listen
 * @param contentId the content id the players ask for
 * @param acexyBuffer acexy's {@code ACEXY_BUFFER_SIZE}, empty for its own default
 */
public record CompareOptions(List<Target> targets, List<Integer> counts, List<ClientKind> clients, BitRate rate,
                             Duration warmup, Duration duration, Duration settle, Duration tail, Duration idle,
                             Path serverJar, Path peers, List<String> oursJvmArgs, Path json, int selectors,
                             Duration startTimeout, String contentId, Optional<String> acexyBuffer) {

    /** The command-line help. */
    public static final String USAGE = """
            usage: java -cp benchmarks.jar dev.aceproxy.bench.compare.Compare [options]
              --targets LIST     servers to run, in order: ours,acexy,floor [all three]
              --counts LIST      player counts; idle = no player at all [idle,1,10,300,1000]
              --clients LIST     curl, readers (the load tool's own) or both [curl]
              --rate R           fake engine pacing: 4.3mbit, 800kbit, clip [4.3mbit]
              --warmup D         the first player alone before the herd joins [5s]
              --duration D       the herd plays this long [35s]
              --settle D         steady window starts this long after the herd's start [5s]
              --tail D           steady window ends this long before the players stop [1s]
              --idle D           the idle run's window [20s]
              --server-jar PATH  the reference server [acestream-proxy-examples/target/acestream-proxy-server.jar]
              --peers DIR        holds acexy-bin and floor [acestream-proxy-bench/target/peers]
              --ours-jvm-arg A   JVM option for ours after the launcher's defaults (repeat; last wins)
              --json PATH        where the JSON result goes [compare-result.json]
              --selectors N      reader selector threads [2]
              --start-timeout D  how long a target may take to listen [30s]
              --content-id HEX   40-hex content id [%s]
              --acexy-buffer S   acexy's ACEXY_BUFFER_SIZE, e.g. 64KiB [acexy's default, 4 MiB]
            """.formatted(LoadOptions.DEFAULT_CONTENT_ID);

    /** Validates and copies. */
    public CompareOptions {
        targets = List.copyOf(targets);
        counts = List.copyOf(counts);
        clients = List.copyOf(clients);
        oursJvmArgs = List.copyOf(oursJvmArgs);
        if (targets.isEmpty() || counts.isEmpty() || clients.isEmpty()) {
            throw new IllegalArgumentException("--targets, --counts and --clients need at least one value");
        }
        for (int c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("--counts must be idle or positive: " + c);
            }
        }
        if (selectors <= 0) {
            throw new IllegalArgumentException("--selectors must be positive");
        }
        if (!contentId.matches("[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("--content-id must be 40 hex digits");
        }
        if (idle.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--idle must be at least 1s");
        }
        if (duration.minus(settle).minus(tail).compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--duration must exceed --settle plus --tail by at least 1s");
        }
    }

    /** {@return the largest player count} */
    public int maxPlayers() {
        return counts.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /**
     * Parses the command line: {@code --name value} or {@code --name=value}.
     *
     * @param args the arguments
     * @return the settings
     * @throws IllegalArgumentException on an unknown option, a missing value or a bad value
     */
    public static CompareOptions parse(String... args) {
        List<Target> targets = List.of(Target.values());
        List<Integer> counts = List.of(0, 1, 10, 300, 1000);
        List<ClientKind> clients = List.of(ClientKind.CURL);
        BitRate rate = BitRate.parse("4.3mbit");
        Duration warmup = Duration.ofSeconds(5);
        Duration duration = Duration.ofSeconds(35);
        Duration settle = Duration.ofSeconds(5);
        Duration tail = Duration.ofSeconds(1);
        Duration idle = Duration.ofSeconds(20);
        Path jar = null;
        Path peers = Path.of("acestream-proxy-bench/target/peers");
        List<String> jvmArgs = new ArrayList<>();
        Path json = Path.of("compare-result.json");
        int selectors = 2;
        Duration startTimeout = Duration.ofSeconds(30);
        String contentId = LoadOptions.DEFAULT_CONTENT_ID;
        Optional<String> acexyBuffer = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int eq = name.indexOf('=');
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + name);
            }
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--targets" -> targets = split(value).stream().map(Target::of).toList();
                case "--counts" -> counts = split(value).stream().map(CompareOptions::count).toList();
                case "--clients" -> clients = split(value).stream().map(ClientKind::of).toList();
                case "--rate" -> rate = BitRate.parse(value);
                case "--warmup" -> warmup = DurationText.parse(value);
                case "--duration" -> duration = DurationText.parse(value);
                case "--settle" -> settle = DurationText.parse(value);
                case "--tail" -> tail = DurationText.parse(value);
                case "--idle" -> idle = DurationText.parse(value);
                case "--server-jar" -> jar = Path.of(value);
                case "--peers" -> peers = Path.of(value);
                case "--ours-jvm-arg" -> jvmArgs.add(value);
                case "--json" -> json = Path.of(value);
                case "--selectors" -> selectors = number(name, value);
                case "--start-timeout" -> startTimeout = DurationText.parse(value);
                case "--content-id" -> contentId = value;
                case "--acexy-buffer" -> acexyBuffer = Optional.of(value);
                default -> throw new IllegalArgumentException("unknown option: " + name);
            }
        }
        if (jar == null) {
            jar = LoadOptions.DEFAULT_SERVER_JARS.stream().filter(Files::isRegularFile).findFirst()
                    .orElse(LoadOptions.DEFAULT_SERVER_JARS.getFirst());
        }
        return new CompareOptions(targets, counts, clients, rate, warmup, duration, settle, tail, idle, jar, peers,
                jvmArgs, json, selectors, startTimeout, contentId, acexyBuffer);
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(List.of(value.split(","))));
        out.removeIf(String::isBlank);
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty list: " + value);
        }
        return out;
    }

    private static int count(String text) {
        return text.trim().equals("idle") ? 0 : number("--counts", text);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number or idle, got " + value, e);
        }
    }
}
