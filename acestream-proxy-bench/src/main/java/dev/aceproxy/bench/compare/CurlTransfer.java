package dev.aceproxy.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * One transfer's line of curl's {@code --write-out} {@link #FORMAT}.
 *
 * @param bytes {@code size_download}: body bytes received
 * @param firstByteSeconds {@code time_starttransfer}: from the transfer's start to the first
 *        response byte (the response head, not the first payload byte)
 * @param httpCode the response status, 0 without a response
 * @param exitCode curl's code for this transfer: 0, or 28 when it ended at its {@code -m} limit
 */
public record CurlTransfer(long bytes, double firstByteSeconds, int httpCode, int exitCode) {

    /** The {@code --write-out} format whose lines {@link #parse} reads. */
    public static final String FORMAT = "%{size_download} %{time_starttransfer} %{http_code} %{exitcode}\\n";

    /** curl's exit code for a transfer that reached its {@code --max-time}. */
    public static final int TIMED_OUT = 28;

    /**
     * Parses curl's output, one transfer per non-blank line.
     *
     * @param output everything curl wrote to standard output
     * @return the transfers
     * @throws IllegalArgumentException when a line is not in the format
     */
    public static List<CurlTransfer> parse(String output) {
        List<CurlTransfer> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String t = line.trim();
            if (t.isEmpty()) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length != 4) {
                throw new IllegalArgumentException("not a curl write-out line: " + line);
            }
            try {
                out.add(new CurlTransfer(Long.parseLong(f[0]), Double.parseDouble(f[1]), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a curl write-out line: " + line, e);
            }
        }
        return out;
    }

    /** {@return whether the transfer ran until its time limit with status 200, as a player should} */
    public boolean playedToTheEnd() {
        return httpCode == 200 && (exitCode == TIMED_OUT || exitCode == 0);
    }
}
