package dev.aceproxy.bench.compare;

import dev.aceproxy.bench.load.ServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts one {@link Target} on a loopback port against the fake engine, as the comparison runs it.
 *
 * <ul>
 *   <li>ours: the tool's own {@code java} with {@link #LAUNCHER_JVM_DEFAULTS} and
 *       {@link #LAUNCHER_ENV} (the distribution launcher's defaults), then any extra JVM options,
 *       {@code -jar} the server jar, {@code --listen} and {@code --engine}, and the player and
 *       connection bounds lifted as the load tool does;</li>
 *   <li>acexy: {@code acexy-bin} with {@code ACEXY_LISTEN_ADDR}, {@code ACEXY_SCHEME},
 *       {@code ACEXY_HOST} and {@code ACEXY_PORT} pointing it at the fake engine, its other
 *       settings at their defaults unless {@code ACEXY_BUFFER_SIZE} is given (acexy's default of
 *       4 MiB holds back each player's first 4 MiB and then writes in 4 MiB bursts);</li>
 *   <li>floor: {@code floor PORT ENGINE_PORT PLAYBACK_PATH}, the playback path from a getstream
 *       made here.</li>
 * </ul>
 */
public final class TargetLauncher {

    /**
     * The JVM options of {@code acestream-proxy-dist/src/dist/bin/acestream-proxy} (its
     * {@code defaults=} line); a test keeps the two equal.
     */
    public static final List<String> LAUNCHER_JVM_DEFAULTS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xms16m", "-Xmx256m", "-Xss512k", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxMetaspaceSize=96m",
            "-XX:+ExitOnOutOfMemoryError");

    /**
     * The environment the distribution launcher gives the JVM unless the caller set it (its
     * {@code MALLOC_ARENA_MAX=} line); a test keeps the two equal.
     */
    public static final Map<String, String> LAUNCHER_ENV = Map.of("MALLOC_ARENA_MAX", "2");

    private static final Pattern PLAYBACK_URL = Pattern.compile("\"playback_url\"\\s*:\\s*\"([^\"]+)\"");

    private final Path serverJar;
    private final List<String> oursJvmArgs;
    private final Path peers;
    private final Duration startTimeout;
    private final Optional<String> acexyBuffer;

    /**
     * Creates a launcher.
     *
     * @param serverJar the reference server's jar
     * @param oursJvmArgs JVM options added after the launcher's defaults (the last of two wins)
     * @param peers the directory holding {@code acexy-bin} and {@code floor}
     * @param startTimeout how long a target may take to listen
     * @param acexyBuffer acexy's {@code ACEXY_BUFFER_SIZE}, empty for acexy's own default (4 MiB)
     */
    public TargetLauncher(Path serverJar, List<String> oursJvmArgs, Path peers, Duration startTimeout,
                          Optional<String> acexyBuffer) {
        this.acexyBuffer = acexyBuffer;
        this.serverJar = serverJar;
        this.oursJvmArgs = List.copyOf(oursJvmArgs);
        this.peers = peers;
        this.startTimeout = startTimeout;
    }

    /**
     * Checks that the target's program exists.
     *
     * @param target the target
     * @throws IOException naming the missing file and how to build it
     */
    public void check(Target target) throws IOException {
        Path file = switch (target) {
            case OURS -> serverJar;
            case ACEXY -> peers.resolve("acexy-bin");
            case FLOOR -> peers.resolve("floor");
        };
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + target.label() + " at " + file.toAbsolutePath() + " ("
                    + (target == Target.OURS ? "build it: mvn -B -q -DskipTests package"
                    : "build the peers: acestream-proxy-bench/peers/build.sh") + ")");
        }
    }

    /**
     * Starts a target and waits until it answers.
     *
     * @param target which one
     * @param address the loopback address it listens on
     * @param engine the fake engine's base url
     * @param contentId the content the clients ask for (the floor's getstream is for it)
     * @param log where its output goes
     * @return the running process
     * @throws IOException when it cannot be started or the floor's getstream fails
     * @throws InterruptedException when interrupted
     */
    public ServerProcess start(Target target, InetSocketAddress address, URI engine, String contentId, Path log)
            throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> command = new ArrayList<>();
        String listen = address.getHostString() + ":" + address.getPort();
        switch (target) {
            case OURS -> {
                LAUNCHER_ENV.forEach((name, value) -> env.put(name, System.getenv().getOrDefault(name, value)));
                command.add(ProcessHandle.current().info().command()
                        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                command.addAll(LAUNCHER_JVM_DEFAULTS);
                command.addAll(oursJvmArgs);
                command.addAll(List.of("-jar", serverJar.toAbsolutePath().normalize().toString(),
                        "--listen", listen, "--engine", engine.toString()));
                for (String flag : List.of("--max-streams", "--max-streams-per-engine",
                        "--max-new-streams-per-address", "--max-clients", "--max-connections",
                        "--max-connections-per-address")) {
                    command.add(flag + "=0");
                }
            }
            case ACEXY -> {
                command.add(peers.resolve("acexy-bin").toAbsolutePath().toString());
                env.put("ACEXY_LISTEN_ADDR", listen);
                env.put("ACEXY_SCHEME", engine.getScheme());
                env.put("ACEXY_HOST", engine.getHost());
                env.put("ACEXY_PORT", Integer.toString(engine.getPort()));
                acexyBuffer.ifPresent(size -> env.put("ACEXY_BUFFER_SIZE", size));
            }
            case FLOOR -> {
                command.add(peers.resolve("floor").toAbsolutePath().toString());
                command.add(Integer.toString(address.getPort()));
                command.add(Integer.toString(engine.getPort()));
                command.add(playbackPath(engine, contentId));
            }
        }
        return ServerProcess.launch(command, env, log, address, startTimeout, true);
    }

    /**
     * Asks the engine for a playback url, as a proxy would, for the floor.
     *
     * @param engine the engine's base url
     * @param contentId the content
     * @return the playback url's path
     * @throws IOException when the engine does not answer with a playback url
     * @throws InterruptedException when interrupted
     */
    public static String playbackPath(URI engine, String contentId) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest request = HttpRequest.newBuilder(
                    engine.resolve("/ace/getstream?format=json&id=" + contentId + "&pid=compare-floor"))
                    .timeout(Duration.ofSeconds(15)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return playbackPathOf(response.body());
        }
    }

    /**
     * The playback url's path in a getstream answer.
     *
     * @param json the engine's answer
     * @return the path, e.g. {@code /ace/r/<infohash>/<key>}
     * @throws IOException when the answer holds no playback url
     */
    public static String playbackPathOf(String json) throws IOException {
        Matcher m = PLAYBACK_URL.matcher(json);
        if (!m.find()) {
            throw new IOException("the engine's getstream answer has no playback_url: " + json);
        }
        return URI.create(m.group(1).replace("\\/", "/")).getRawPath();
    }
}
