package dev.aceproxy.server;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * Byte sizes as people write them: a plain number of bytes ({@code 65536}) or a decimal number
 * with a unit, case-insensitive, optionally separated by a space. Units with an {@code i}
 * ({@code KiB}, {@code MiB}, {@code GiB}, also {@code Ki}, {@code Mi}, {@code Gi}) are powers of
 * 1024; units without ({@code K}/{@code KB}, {@code M}/{@code MB}, {@code G}/{@code GB}) are powers
 * of 1000, which is how acexy reads {@code ACEXY_BUFFER_SIZE=4.2MB}.
 */
public final class ByteSize {

    private static final Map<String, Long> BYTES_PER_UNIT = Map.ofEntries(
            Map.entry("", 1L),
            Map.entry("b", 1L),
            Map.entry("k", 1_000L),
            Map.entry("kb", 1_000L),
            Map.entry("ki", 1L << 10),
            Map.entry("kib", 1L << 10),
            Map.entry("m", 1_000_000L),
            Map.entry("mb", 1_000_000L),
            Map.entry("mi", 1L << 20),
            Map.entry("mib", 1L << 20),
            Map.entry("g", 1_000_000_000L),
            Map.entry("gb", 1_000_000_000L),
            Map.entry("gi", 1L << 30),
            Map.entry("gib", 1L << 30));

    private ByteSize() {
    }

    /**
     * Parses a byte size.
     *
     * @param text the text, such as {@code 4MiB}, {@code 4.2MB} or {@code 65536}
     * @return the number of bytes, rounded down
     * @throws IllegalArgumentException if the text is not a size or is negative or too large
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a size is required, such as 4MiB");
        }
        String s = text.strip();
        int split = 0;
        while (split < s.length() && (Character.isDigit(s.charAt(split)) || s.charAt(split) == '.')) {
            split++;
        }
        String number = s.substring(0, split);
        String unit = s.substring(split).strip().toLowerCase(Locale.ROOT);
        Long perUnit = BYTES_PER_UNIT.get(unit);
        if (number.isEmpty() || number.equals(".") || number.indexOf('.') != number.lastIndexOf('.')) {
            throw new IllegalArgumentException("\"" + text + "\" is not a size (examples: 4MiB, 4.2MB, 65536)");
        }
        if (perUnit == null) {
            throw new IllegalArgumentException("unknown unit \"" + s.substring(split).strip() + "\" in size \""
                    + text + "\" (use B, KiB, MiB, GiB, KB, MB or GB)");
        }
        BigDecimal bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(perUnit));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("size \"" + text + "\" is too large");
        }
        return bytes.longValue();
    }

    /**
     * Formats a byte count with the largest binary unit that divides it exactly ({@code 4MiB}),
     * else as plain bytes.
     *
     * @param bytes the number of bytes
     * @return the text, which {@link #parse(String)} reads back to the same number
     */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + "GiB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + "MiB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + "KiB";
        }
        return Long.toString(bytes);
    }
}
