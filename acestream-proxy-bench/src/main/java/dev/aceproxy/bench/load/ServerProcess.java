package dev.aceproxy.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The server under test, running as a separate process so that its CPU and memory figures are its
 * own. Its output goes to a log file. It is killed when this object is closed and, through a
 * shutdown hook, when the tool's JVM exits (Ctrl-C included).
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final InetSocketAddress address;
    private final List<String> command;
    private final Thread killer;

    private ServerProcess(Process process, Path log, InetSocketAddress address, List<String> command) {
        this.process = process;
        this.log = log;
        this.address = address;
        this.command = List.copyOf(command);
        this.killer = new Thread(this::kill, "load-server-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts the server and waits until it accepts connections on {@code address}.
     *
     * @param command the full command line
     * @param log where the server's standard output and error go
     * @param address the loopback address the server was told to listen on
     * @param readyTimeout how long to wait for it to accept a connection
     * @return the running server
     * @throws IOException when it cannot be started, exits, or does not listen in time (then it is killed)
     * @throws InterruptedException when interrupted while waiting (then it is killed)
     */
    public static ServerProcess launch(List<String> command, Path log, InetSocketAddress address, Duration readyTimeout)
            throws IOException, InterruptedException {
        return launch(command, Map.of(), log, address, readyTimeout, false);
    }

    /**
     * Starts a server with extra environment variables and waits until it answers on
     * {@code address}.
     *
     * @param command the full command line
     * @param environment variables added to this process's environment
     * @param log where the server's standard output and error go
     * @param address the loopback address the server was told to listen on
     * @param readyTimeout how long to wait for it to answer
     * @param httpProbe true to probe with a whole {@code GET /healthz} request (for servers that
     *        would take a bare connection for a client), false to probe with a bare connection
     * @return the running server
     * @throws IOException when it cannot be started, exits, or does not listen in time (then it is killed)
     * @throws InterruptedException when interrupted while waiting (then it is killed)
     */
    public static ServerProcess launch(List<String> command, Map<String, String> environment, Path log,
                                       InetSocketAddress address, Duration readyTimeout, boolean httpProbe)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(environment);
        Process p = builder.start();
        ServerProcess server = new ServerProcess(p, log, address, command);
        boolean ready = false;
        try {
            long deadline = System.nanoTime() + readyTimeout.toNanos();
            while (!ready) {
                if (!p.isAlive()) {
                    throw new IOException("server exited with code " + p.exitValue() + " before listening; log "
                            + log + ":\n" + server.logTail(30));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("server did not listen on " + address + " within " + readyTimeout
                            + "; log " + log + ":\n" + server.logTail(30));
                }
                try (Socket s = new Socket()) {
                    s.connect(address, 200);
                    if (httpProbe) {
                        s.setSoTimeout(2000);
                        s.getOutputStream().write("GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        s.getInputStream().readAllBytes();
                    }
                    ready = true;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            return server;
        } finally {
            if (!ready) {
                server.close();
            }
        }
    }

    /** {@return the server's process id} */
    public long pid() {
        return process.pid();
    }

    /** {@return the address the server listens on} */
    public InetSocketAddress address() {
        return address;
    }

    /** {@return the command line that started it} */
    public List<String> command() {
        return command;
    }

    /** {@return whether the process is still running} */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@return the exit code once the process has ended} */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** {@return the log file} */
    public Path log() {
        return log;
    }

    /**
     * The last lines of the server's log.
     *
     * @param lines how many
     * @return them, or a note that the log cannot be read
     */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the server: SIGTERM, up to 5 s to exit, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the same
        }
    }

    private void kill() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
