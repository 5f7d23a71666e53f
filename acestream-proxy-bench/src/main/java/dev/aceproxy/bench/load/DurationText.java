package dev.aceproxy.bench.load;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written on the command line, Go style: {@code 30s}, {@code 500ms}, {@code 1m30s},
 * {@code 2h}; a plain number means seconds.
 */
public final class DurationText {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private DurationText() {
    }

    /**
     * Parses a duration.
     *
     * @param text the duration as written
     * @return the duration, never negative
     * @throws IllegalArgumentException when the text is not a duration
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+(\\.\\d+)?")) {
            return ofSeconds(Double.parseDouble(t));
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            double value = Double.parseDouble(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> ofSeconds(value / 1000);
                case "s" -> ofSeconds(value);
                case "m" -> ofSeconds(value * 60);
                default -> ofSeconds(value * 3600);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new IllegalArgumentException("not a duration (e.g. 30s, 500ms, 1m30s): " + text);
        }
        return total;
    }

    /**
     * Formats a duration the way {@link #parse} reads it, e.g. {@code 1m30s}.
     *
     * @param d the duration
     * @return its short form
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0 || b.isEmpty()) {
            b.append(s).append('s');
        }
        return b.toString();
    }

    private static Duration ofSeconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
