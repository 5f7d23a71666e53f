package dev.aceproxy.server;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.server.probe.ProbeRecording;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The reference server's entry point: a drop-in for acexy. Reads flags and acexy's environment
 * variables, then serves ({@code /ace/getstream}, {@code /ace/status}, {@code /api/v1/streams},
 * {@code /metrics}, {@code /healthz}), probes one content ({@code --probe}, with
 * {@code --probe-report} a JSON record of what the engine does), or runs the demo
 * against a built-in fake engine ({@code --demo}). Run with {@code --help} for the flags,
 * {@code --version} (alone) for the version.
 *
 * <p>Exit codes: {@value #EXIT_OK} after a clean stop, a healthy probe or a complete probe report,
 * {@value #EXIT_FAILURE} when start-up fails, a probe finds the stream unhealthy or a probe report
 * step fails, {@value #EXIT_USAGE} for an invalid setting.
 */
public final class AceProxyServer {

    /** Clean stop, healthy probe, or complete probe report. */
    public static final int EXIT_OK = 0;
    /** Start-up failed, the probe found the stream unhealthy, or a probe report step failed. */
    public static final int EXIT_FAILURE = 1;
    /** A flag or environment variable has an invalid value. */
    public static final int EXIT_USAGE = 2;

    /** Obtained when first needed, so that {@link #main} can configure logging before it starts. */
    private static System.Logger log() {
        return System.getLogger("dev.aceproxy.server");
    }

    private AceProxyServer() {
    }

    /**
     * Runs the server until SIGTERM or Ctrl-C, then exits with the status {@link #run} returns.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        ConsoleLogging.install();
        int status = run(Arrays.asList(args), System.getenv(), System.out, System.err, true);
        System.exit(status);
    }

    /**
     * Does what the command line asks and returns the exit status; never calls
     * {@link System#exit(int)}.
     *
     * @param args the command line
     * @param env the environment
     * @param out where help, the demo url and probe reports go
     * @param err where errors go
     * @param untilShutdown when serving, whether to block until the JVM shuts down (true for
     *     {@link #main}); when false the server is started and stopped at once, which checks the
     *     settings and the port
     * @return {@link #EXIT_OK}, {@link #EXIT_FAILURE} or {@link #EXIT_USAGE}
     */
    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err,
                          boolean untilShutdown) {
        if (args.equals(List.of("--version"))) {
            out.println("acestream-proxy " + ServerVersion.get());
            return EXIT_OK;
        }
        SettingsParser.Invocation invocation;
        try {
            invocation = SettingsParser.parse(args, env);
        } catch (InvalidSettingException e) {
            err.println("acestream-proxy: " + e.getMessage());
            err.println("Run with --help for the settings.");
            return EXIT_USAGE;
        }
        if (invocation.help()) {
            out.print(Usage.TEXT);
            return EXIT_OK;
        }
        invocation.notices().forEach(n -> log().log(Level.WARNING, n));
        ServerSettings settings = invocation.settings();
        try {
            if (settings.probe().isPresent() && !settings.demo()) {
                return probe(settings, settings.engines().get(0), out, err);
            }
            return serve(settings, out, err, untilShutdown, invocation.exitWithParent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILURE;
        }
    }

    private static int probe(ServerSettings settings, URI engineUri, PrintStream out, PrintStream err)
            throws InterruptedException {
        if (settings.probeReport().isPresent()) {
            boolean complete = new ProbeRecording(engineUri, settings.probe().get(), settings.probeDuration(),
                    settings.getstreamTimeout(), settings.probeReport().get(), out, err).run();
            return complete ? EXIT_OK : EXIT_FAILURE;
        }
        try (AceEngineClient engine = AceEngineClient.newBuilder()
                .baseUri(engineUri)
                .getstreamTimeout(settings.getstreamTimeout())
                .build()) {
            boolean healthy = new StreamProbe(engine, settings.probeDuration(), out).run(settings.probe().get());
            return healthy ? EXIT_OK : EXIT_FAILURE;
        }
    }

    private static int serve(ServerSettings settings, PrintStream out, PrintStream err, boolean untilShutdown,
                             boolean exitWithParent) throws InterruptedException {
        ReferenceServer server;
        try {
            server = ReferenceServer.start(settings);
        } catch (IOException | RuntimeException e) {
            err.println("acestream-proxy: cannot start: " + e.getMessage());
            return EXIT_FAILURE;
        }
        if (settings.demo()) {
            if (settings.probe().isPresent()) {
                // --demo --probe: try the probe against the built-in engine, then stop.
                try (server) {
                    return probe(settings, server.demoEngine().map(FakeAceEngine::baseUri).orElseThrow(), out, err);
                }
            }
            out.println();
            out.println("Demo running: a built-in fake engine plays a 10 s test clip in a loop.");
            out.println("Open this url in VLC, mpv or ffplay (for example: mpv '<url>'):");
            out.println();
            // The token itself is never printed: the url shows where it goes.
            out.println("    " + server.demoStreamUri(Optional.empty())
                    + (settings.accessToken().isPresent() ? "&token=<your access token, url-encoded>" : ""));
            out.println();
            out.println("Status: " + server.baseUri() + "/api/v1/streams   Stop: Ctrl-C");
            out.flush();
        }
        if (!untilShutdown) {
            server.close();
            return EXIT_OK;
        }
        Runtime.getRuntime().addShutdownHook(server.shutdownHook());
        if (exitWithParent) {
            // Maven's exec:exec does not stop its child when Maven itself is terminated.
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(server::close));
        }
        server.awaitClosed();
        return EXIT_OK;
    }
}
