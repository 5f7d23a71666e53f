package dev.aceproxy.server;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Durations written the way Go's {@code time.ParseDuration} reads them, so that values from an
 * acexy configuration carry over unchanged: a sequence of decimal numbers, each with a unit
 * ({@code ns}, {@code us}, {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}), such as
 * {@code 10s}, {@code 1m30s}, {@code 500ms} or {@code 1.5h}. A bare {@code 0} is zero.
 */
public final class GoDuration {

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "µs", 1_000L,
            "μs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /**
     * Parses a Go duration.
     *
     * @param text the text, such as {@code 1m30s}
     * @return the duration, rounded down to whole nanoseconds
     * @throws IllegalArgumentException if the text is not a Go duration; the message says why
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a duration is required, such as 10s or 1m30s");
        }
        String s = text;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(start, i);
            if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            Long perUnit = NANOS_PER_UNIT.get(unit);
            if (perUnit == null) {
                throw new IllegalArgumentException(unit.isEmpty()
                        ? "missing unit in duration \"" + text + "\" (use ms, s, m or h, as in 10s)"
                        : "unknown unit \"" + unit + "\" in duration \"" + text + "\" (use ns, us, ms, s, m or h)");
            }
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(perUnit)));
            if (nanos.toBigInteger().compareTo(MAX_NANOS) > 0) {
                throw new IllegalArgumentException("duration \"" + text + "\" is too large");
            }
        }
        long total = nanos.toBigInteger().longValueExact();
        return Duration.ofNanos(negative ? -total : total);
    }

    /**
     * Formats a duration the way Go prints one ({@code 1m30s}, {@code 500ms}, {@code 0s}), so that
     * {@link #parse(String)} reads it back to the same value for whole milliseconds and above.
     *
     * @param duration the duration
     * @return its Go form
     */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.toHours() + "h";
        }
        if (nanos < 1_000_000_000L) {
            if (nanos % 1_000_000L == 0) {
                return nanos / 1_000_000L + "ms";
            }
            if (nanos % 1_000L == 0) {
                return nanos / 1_000L + "us";
            }
            return nanos + "ns";
        }
        StringBuilder out = new StringBuilder();
        long hours = nanos / 3_600_000_000_000L;
        long minutes = nanos / 60_000_000_000L % 60;
        long seconds = nanos / 1_000_000_000L % 60;
        long fraction = nanos % 1_000_000_000L;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(seconds);
        if (fraction != 0) {
            String digits = String.format(Locale.ROOT, "%09d", fraction).replaceAll("0+$", "");
            out.append('.').append(digits);
        }
        return out.append('s').toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration (examples: 10s, 1m30s, 500ms)");
    }
}
