package dev.aceproxy.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bytes received so far by every established TCP connection to one loopback port, from the
 * kernel's per-socket counters ({@code ss -ti}, field {@code bytes_received}). Used for clients
 * that cannot report mid-run (curl): the count includes the HTTP response heads and any chunked
 * framing, a few bytes per 64 KiB.
 */
public final class SocketBytes {

    private static final Pattern RECEIVED = Pattern.compile("\\bbytes_received:(\\d+)");

    private SocketBytes() {
    }

    /**
     * Sums the {@code bytes_received} fields of {@code ss -ti} output.
     *
     * @param ssOutput the output
     * @return the sum
     */
    public static long sumReceived(String ssOutput) {
        long sum = 0;
        Matcher m = RECEIVED.matcher(ssOutput);
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /**
     * Runs {@code ss} for the connections whose remote port is {@code port}.
     *
     * @param port the server's port
     * @return bytes those connections have received
     * @throws IOException when ss cannot be run or fails
     * @throws InterruptedException when interrupted while it runs
     */
    public static long toPort(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ss", "-tinH", "state", "established", "( dport = :" + port + " )")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("ss failed: " + out.strip());
        }
        return sumReceived(out);
    }
}
