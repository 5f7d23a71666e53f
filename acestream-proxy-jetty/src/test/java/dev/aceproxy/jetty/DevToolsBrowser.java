package dev.aceproxy.jetty;

import dev.aceproxy.testkit.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Headless Chromium driven over its DevTools protocol with the JDK's own WebSocket client: enough
 * to open a page and evaluate JavaScript in it. Started with a fresh profile; {@link #close()}
 * ends the browser and every process it started, and deletes the profile.
 */
final class DevToolsBrowser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";

    private static final Pattern PAGE_SOCKET = Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/devtools/page/[^\"]+)\"");
    private static final Pattern STRING_VALUE = Pattern.compile("\"result\":\\{\"type\":\"string\",\"value\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Path profile;
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private int nextId = 1;

    private DevToolsBrowser(Path profile, Process process) throws IOException, InterruptedException {
        this.profile = profile;
        this.process = process;
        Path portFile = profile.resolve("DevToolsActivePort");
        String portLine = Eventually.within(Duration.ofSeconds(30), Duration.ofMillis(100),
                "Chromium's DevTools port in " + portFile, () -> firstLine(portFile, process), line -> !line.isEmpty());
        int port = Integer.parseInt(portLine.trim());
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher page = PAGE_SOCKET.matcher(list);
        if (!page.find()) {
            throw new IOException("no page target in " + list);
        }
        this.socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(page.group(1)), new Collector()).join();
    }

    /** The file's first line, empty while the file is not there; fails once Chromium has exited. */
    private static String firstLine(Path file, Process process) throws IOException {
        if (!process.isAlive()) {
            throw new IOException("Chromium exited before it opened its DevTools port");
        }
        if (!Files.isRegularFile(file)) {
            return "";
        }
        return Files.readAllLines(file).stream().findFirst().orElse("");
    }

    static boolean available() {
        return Files.isExecutable(Path.of(CHROMIUM));
    }

    static DevToolsBrowser start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /** Starts the browser with more command-line switches (such as {@code --host-resolver-rules=...}). */
    static DevToolsBrowser start(List<String> extraSwitches) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("aceproxy-chromium");
        List<String> command = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--autoplay-policy=no-user-gesture-required"));
        command.addAll(extraSwitches);
        command.add("about:blank");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            return new DevToolsBrowser(profile, process);
        } catch (IOException | RuntimeException | InterruptedException | AssertionError e) {
            stop(process);
            deleteTree(profile);
            throw e;
        }
    }

    void navigate(String url) throws IOException, InterruptedException {
        call("Page.navigate", "{\"url\":\"" + url + "\"}");
    }

    /** Evaluates an expression that yields a string, and returns it. */
    String evaluate(String expression) throws IOException, InterruptedException {
        String params = "{\"expression\":\"" + expression.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"returnByValue\":true}";
        String answer = call("Runtime.evaluate", params);
        Matcher m = STRING_VALUE.matcher(answer);
        if (!m.find()) {
            throw new IOException("not a string: " + answer);
        }
        return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private String call(String method, String params) throws IOException, InterruptedException {
        int id = nextId++;
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).join();
        String prefix = "{\"id\":" + id + ",";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String message = messages.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new IOException(method + ": no answer from Chromium");
            }
            if (message.startsWith(prefix)) {
                if (message.contains("\"error\":{")) {
                    throw new IOException(method + ": " + message);
                }
                return message;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.abort();
        } catch (RuntimeException ignored) {
            // the browser goes in any case
        }
        stop(process);
        http.close();
        deleteTree(profile);
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    /** Gathers whole text messages (the protocol's answers and events). */
    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
