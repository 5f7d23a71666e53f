package dev.aceproxy.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Settings of one load run, as given on the command line (see {@link #USAGE}).
 *
 * @param clients fast clients, the first of which starts the stream (at least 1)
 * @param stuck clients with a tiny receive buffer that read almost nothing
 * @param rate the fake engine's pacing
 * @param duration the measurement window
 * @param warmup how long the stream runs (starter and stuck clients on it) before the joiners arrive
 * @param serverJar the reference server's shaded jar
 * @param serverArgs extra arguments for the server, after {@code --listen} and {@code --engine}
 * @param serverJvmArgs extra JVM options for the server, e.g. {@code -Xmx256m}
 * @param churn whether a client joins and leaves every second during the window
 * @param sample how often to print the server's threads, heap, RSS and fds; empty for never
 * @param selectors selector threads reading the clients
 * @param readBufferBytes each selector thread's direct read buffer
 * @param stuckReceiveBufferBytes {@code SO_RCVBUF} of the stuck clients
 * @param stuckReadBytesPerSecond what a stuck client reads each second
 * @param ramp the joiners' arrivals are spread evenly over this (zero: all at once)
 * @param joinTimeout how long to wait for every joiner's first byte before the window starts anyway
 * @param startTimeout how long to wait for the server to listen and for the starter's first byte
 * @param contentId the 40-hex content id the clients ask for
 * @param serverLog where the server's output goes; empty for a temporary file
 */
public record LoadOptions(int clients, int stuck, BitRate rate, Duration duration, Duration warmup, Path serverJar,
                          List<String> serverArgs, List<String> serverJvmArgs, boolean churn,
                          Optional<Duration> sample, int selectors, int readBufferBytes, int stuckReceiveBufferBytes,
                          int stuckReadBytesPerSecond, Duration ramp, Duration joinTimeout, Duration startTimeout,
                          String contentId, Optional<Path> serverLog) {

    /** Where the server jar is looked for when {@code --server-jar} is not given, relative to the working directory. */
    public static final List<Path> DEFAULT_SERVER_JARS = List.of(
            Path.of("acestream-proxy-examples/target/acestream-proxy-server.jar"),
            Path.of("../acestream-proxy-examples/target/acestream-proxy-server.jar"));

    /** The default content id: any 40 hex digits will do for the fake engine. */
    public static final String DEFAULT_CONTENT_ID = "0123456789abcdef0123456789abcdef01234567";

    /** The command-line help. */
    public static final String USAGE = """
            usage: LoadTool [options]
              --clients N          fast clients (the first starts the stream, N-1 join after the warm-up) [10]
              --stuck K            clients with a tiny receive buffer reading ~1 KiB/s [0]
              --rate R             engine pacing: 4.3mbit, 800kbit, clip (the clip's own rate) [4.3mbit]
              --duration D         measurement window: 30s, 2m, 1h [30s]
              --warmup D           stream running before the joiners arrive [5s]
              --server-jar PATH    the reference server's jar [acestream-proxy-examples/target/acestream-proxy-server.jar]
              --server-arg ARG     passed to the server (repeatable), e.g. --server-arg --queue-bytes=8MiB
              --server-jvm-arg ARG JVM option for the server (repeatable), e.g. --server-jvm-arg -Xmx256m
              --churn              a client joins and leaves every second during the window
              --sample D           print the server's threads/heap/RSS/fds every D (e.g. 10s)
              --selectors N        selector threads reading the clients [2]
              --read-buffer BYTES  direct read buffer per selector thread [262144]
              --stuck-rcvbuf BYTES SO_RCVBUF of the stuck clients [4096]
              --stuck-read BYTES   bytes a stuck client reads per second [1024]
              --ramp D             spread the joiners' arrivals over D [0s: all at once]
              --join-timeout D     wait for the joiners' first bytes at most D [15s]
              --start-timeout D    wait for the server and the first byte at most D [60s]
              --content-id HEX     40 hex digits [%s]
              --server-log PATH    server output [a temporary file]
            Output: progress and a summary on stderr, one JSON line on stdout.
            """.formatted(DEFAULT_CONTENT_ID);

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException when a count, size or duration is out of range
     */
    public LoadOptions {
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be at least 1");
        }
        if (stuck < 0) {
            throw new IllegalArgumentException("--stuck must not be negative");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        if (warmup.isNegative() || ramp.isNegative()) {
            throw new IllegalArgumentException("--warmup and --ramp must not be negative");
        }
        if (sample.isPresent() && (sample.get().toMillis() < 100)) {
            throw new IllegalArgumentException("--sample must be at least 100ms");
        }
        if (selectors < 1 || readBufferBytes < 4096 || stuckReceiveBufferBytes < 0 || stuckReadBytesPerSecond < 1) {
            throw new IllegalArgumentException(
                    "--selectors >= 1, --read-buffer >= 4096, --stuck-rcvbuf >= 0, --stuck-read >= 1");
        }
        if (joinTimeout.isNegative() || joinTimeout.isZero() || startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("--join-timeout and --start-timeout must be positive");
        }
        if (!contentId.matches("[0-9a-fA-F]{40}")) {
            throw new IllegalArgumentException("--content-id must be 40 hex digits");
        }
        serverArgs = List.copyOf(serverArgs);
        serverJvmArgs = List.copyOf(serverJvmArgs);
    }

    /**
     * Parses the command line. Each option is {@code --name value} or {@code --name=value}; a
     * repeated single-valued option takes its last value.
     *
     * @param args the arguments
     * @return the settings
     * @throws IllegalArgumentException on an unknown option, a missing value or a bad value
     */
    public static LoadOptions parse(String... args) {
        int clients = 10;
        int stuck = 0;
        BitRate rate = BitRate.parse("4.3mbit");
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(5);
        Path jar = null;
        List<String> serverArgs = new ArrayList<>();
        List<String> jvmArgs = new ArrayList<>();
        boolean churn = false;
        Optional<Duration> sample = Optional.empty();
        int selectors = 2;
        int readBuffer = 256 * 1024;
        int stuckRcvbuf = 4096;
        int stuckRead = 1024;
        Duration ramp = Duration.ZERO;
        Duration joinTimeout = Duration.ofSeconds(15);
        Duration startTimeout = Duration.ofSeconds(60);
        String contentId = DEFAULT_CONTENT_ID;
        Optional<Path> serverLog = Optional.empty();

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (name.equals("--churn")) {
                churn = true;
                continue;
            }
            String value;
            if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--clients" -> clients = integer(name, value);
                case "--stuck" -> stuck = integer(name, value);
                case "--rate" -> rate = BitRate.parse(value);
                case "--duration" -> duration = DurationText.parse(value);
                case "--warmup" -> warmup = DurationText.parse(value);
                case "--server-jar" -> jar = Path.of(value);
                case "--server-arg" -> serverArgs.add(value);
                case "--server-jvm-arg" -> jvmArgs.add(value);
                case "--sample" -> sample = Optional.of(DurationText.parse(value));
                case "--selectors" -> selectors = integer(name, value);
                case "--read-buffer" -> readBuffer = integer(name, value);
                case "--stuck-rcvbuf" -> stuckRcvbuf = integer(name, value);
                case "--stuck-read" -> stuckRead = integer(name, value);
                case "--ramp" -> ramp = DurationText.parse(value);
                case "--join-timeout" -> joinTimeout = DurationText.parse(value);
                case "--start-timeout" -> startTimeout = DurationText.parse(value);
                case "--content-id" -> contentId = value;
                case "--server-log" -> serverLog = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option: " + name);
            }
        }
        if (jar == null) {
            jar = DEFAULT_SERVER_JARS.stream().filter(Files::isRegularFile).findFirst()
                    .orElse(DEFAULT_SERVER_JARS.getFirst());
        }
        return new LoadOptions(clients, stuck, rate, duration, warmup, jar, serverArgs, jvmArgs, churn, sample,
                selectors, readBuffer, stuckRcvbuf, stuckRead, ramp, joinTimeout, startTimeout, contentId, serverLog);
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, got " + value, e);
        }
    }
}
