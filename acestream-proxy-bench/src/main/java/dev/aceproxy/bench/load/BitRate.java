package dev.aceproxy.bench.load;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stream rate in bits per second, written on the command line as {@code 4.3mbit},
 * {@code 800kbit}, {@code 2mbps} or a plain number of bits per second; {@code 0} or {@code clip}
 * means the clip's own rate. Units are decimal (1 kbit = 1000 bit).
 *
 * @param bitsPerSecond the rate, 0 for the clip's own rate
 */
public record BitRate(long bitsPerSecond) {

    /** The clip's own pacing. */
    public static final BitRate CLIP = new BitRate(0);

    private static final Pattern SYNTAX =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(bit|bps|b/s|kbit|kbps|kb/s|k|mbit|mbps|mb/s|m|gbit|gbps|gb/s|g)?");

    /**
     * Validates the rate.
     *
     * @throws IllegalArgumentException when the rate is negative
     */
    public BitRate {
        if (bitsPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + bitsPerSecond);
        }
    }

    /**
     * Parses a rate such as {@code 4.3mbit}.
     *
     * @param text the rate as written
     * @return the rate
     * @throws IllegalArgumentException when the text is not a rate
     */
    public static BitRate parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("clip")) {
            return CLIP;
        }
        Matcher m = SYNTAX.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a bit rate (e.g. 4.3mbit, 800kbit): " + text);
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "bit" : m.group(2);
        long scale = switch (unit.charAt(0)) {
            case 'k' -> 1_000L;
            case 'm' -> 1_000_000L;
            case 'g' -> 1_000_000_000L;
            default -> 1L;
        };
        return new BitRate(Math.round(value * scale));
    }

    /** {@return the rate in bytes per second} */
    public double bytesPerSecond() {
        return bitsPerSecond / 8.0;
    }

    @Override
    public String toString() {
        return bitsPerSecond == 0 ? "clip" : String.format(Locale.ROOT, "%.3fmbit", bitsPerSecond / 1e6);
    }
}
