package dev.aceproxy.engine;

import dev.aceproxy.testkit.FakeAceEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A measuring tool, not a test: the CPU one process spends reading one playback from the fake
 * engine, per second of stream. The fake engine runs in a child JVM so that its own writing is not
 * counted. Modes: {@code client} reads through {@link AceEngineClient#openPlayback}; {@code socket}
 * reads the same url with a bare blocking {@link Socket} on a virtual thread (the floor), and
 * {@code platform} does the same on a platform thread; {@code idle}
 * reads nothing (the JVM's own background cost, to subtract).
 *
 * <pre>
 * java -cp core/target/classes:core/target/test-classes:testkit/target/classes \
 *     dev.aceproxy.engine.PlaybackCpuProbe client|socket|platform|idle [seconds]
 * </pre>
 */
public final class PlaybackCpuProbe {

    private static final long BITRATE = 4_300_000;
    private static final int WARM_UP_SECONDS = 3;

    private PlaybackCpuProbe() {
    }

    /**
     * Runs one measurement and prints one line.
     *
     * @param args mode ({@code client}, {@code socket}, or {@code engine} for the child) and seconds
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "client";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (mode.equals("engine")) {
            runEngine();
            return;
        }
        Process engine = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), PlaybackCpuProbe.class.getName(), "engine"))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(engine.getInputStream(),
                    StandardCharsets.UTF_8));
            URI base = URI.create(lines.readLine().trim());
            measure(mode, base, seconds);
        } finally {
            engine.destroy();
            engine.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void runEngine() throws Exception {
        try (FakeAceEngine fake = FakeAceEngine.builder().bitrate(BITRATE).start()) {
            System.out.println(fake.baseUri());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void measure(String mode, URI base, int seconds) throws Exception {
        AtomicLong bytes = new AtomicLong();
        try (AceEngineClient client = AceEngineClient.newBuilder().baseUri(base).build()) {
            EngineSession session = client.startSession(ContentId.id("0123456789abcdef0123456789abcdef01234567"),
                    Map.of());
            InputStream in = switch (mode) {
                case "client" -> client.openPlayback(session);
                case "socket", "platform" -> bareSocket(session.playbackUri());
                case "idle" -> InputStream.nullInputStream();
                default -> throw new IllegalArgumentException("mode client, socket or idle: " + mode);
            };
            Thread.Builder threads = mode.equals("platform") ? Thread.ofPlatform() : Thread.ofVirtual();
            Thread reader = threads.name("aceproxy-probe-reader").start(() -> {
                byte[] buffer = new byte[64 * 1024];
                try (in) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        bytes.addAndGet(n);
                    }
                } catch (IOException ended) {
                    // closed at the end of the measurement
                }
            });
            Thread.sleep(TimeUnit.SECONDS.toMillis(WARM_UP_SECONDS));
            long cpu0 = processCpuNanos();
            long wall0 = System.nanoTime();
            long bytes0 = bytes.get();
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            long cpu = processCpuNanos() - cpu0;
            long wall = System.nanoTime() - wall0;
            long read = bytes.get() - bytes0;
            in.close();
            reader.join(5000);
            double wallSeconds = wall / 1e9;
            System.out.printf("%s: %.1f ms CPU per second of stream (%.2f Mbit/s over %.1f s, %d bytes)%n",
                    mode, cpu / 1e6 / wallSeconds, read * 8 / wallSeconds / 1e6, wallSeconds, read);
        }
    }

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static InputStream bareSocket(URI playback) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(playback.getHost(), playback.getPort()), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + playback.getRawPath() + " HTTP/1.1\r\nHost: " + playback.getRawAuthority()
                + "\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("no head");
            }
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return in;
    }
}
