package dev.aceproxy.server.faults;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aceproxy.testkit.Eventually;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Debian's nginx in front of proxy instances, run by the test as a child process (no daemon, one
 * process) with its configuration, pid, logs and temp paths all in a temp directory, listening on
 * 127.0.0.1. The configuration is the one docs/scale-out.md shows: {@code hash
 * $arg_id$arg_infohash consistent}, the next upstream on error, timeout and 503, no buffering.
 */
final class NginxFront implements AutoCloseable {

    static final Path NGINX = Path.of("/usr/sbin/nginx");

    private final Path dir;
    private final Process process;
    private final int port;

    private NginxFront(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /**
     * Skips the calling test when nginx is missing, except in CI ({@code CI=true}), where the test
     * must run: .ci/run installs nginx-light.
     */
    static void requireNginx() {
        boolean present = Files.isExecutable(NGINX);
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(NGINX + " is missing, and CI must run the fleet test (.ci/run installs nginx-light)");
        }
        assumeTrue(present, NGINX + " is missing: skipping the fleet test (CI installs nginx-light)");
    }

    /** The upstream block and location of docs/scale-out.md, for the given proxy ports. */
    static String config(Path dir, int listenPort, List<Integer> upstreamPorts) {
        String servers = upstreamPorts.stream()
                .map(p -> "        server 127.0.0.1:" + p + " max_fails=0;\n")
                .collect(Collectors.joining());
        return """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;

                    upstream aceproxy {
                        hash $arg_id$arg_infohash consistent;
                %2$s    }

                    server {
                        listen 127.0.0.1:%3$d;
                        location / {
                            proxy_pass http://aceproxy;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                            proxy_buffering off;
                            proxy_request_buffering off;
                            proxy_connect_timeout 2s;
                            proxy_read_timeout 60s;
                            proxy_next_upstream error timeout http_503;
                            proxy_next_upstream_tries 3;
                            add_header X-Upstream $upstream_addr always;
                        }
                    }
                }
                """.formatted(dir, servers, listenPort);
    }

    /** Starts nginx in front of the ports and waits until it accepts connections. */
    static NginxFront start(List<Integer> upstreamPorts) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("aceproxy-nginx-");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(dir, port, upstreamPorts), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        NginxFront front = new NginxFront(dir, process, port);
        try {
            Eventually.within(Duration.ofSeconds(10), Duration.ofMillis(20), "nginx accepting on port " + port, () -> {
                if (!process.isAlive()) {
                    throw new IOException("nginx exited");
                }
                return front.accepts();
            }, Boolean::booleanValue);
        } catch (IOException | AssertionError e) {
            String log = front.logs();
            front.close();
            throw new IOException("nginx did not start: " + log, e);
        }
        return front;
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    /** nginx's error log and output, for a failure message. */
    String logs() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("error.log", "stdout.log")) {
            try {
                out.append(name).append(":\n").append(Files.readString(dir.resolve(name))).append('\n');
            } catch (IOException e) {
                out.append(name).append(": ").append(e.getMessage()).append('\n');
            }
        }
        return out.toString();
    }

    /** Stops nginx (SIGTERM, then SIGKILL after 5 s) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind harms nothing
        }
    }
}
