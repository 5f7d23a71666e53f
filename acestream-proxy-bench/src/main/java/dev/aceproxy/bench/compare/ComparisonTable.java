package dev.aceproxy.bench.compare;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The comparison's table: one row per figure and scenario, a column per target, and the ratios
 * ours / floor and ours / acexy (for cost figures lower is better; the delivery rate should be the same).
 */
public final class ComparisonTable {

    private ComparisonTable() {
    }

    /**
     * One row.
     *
     * @param clients the clients of the scenario
     * @param figure what the row shows
     * @param values the figure per target (NaN or absent: not measured)
     * @param cells the text per target
     */
    public record Row(ClientKind clients, String figure, Map<Target, Double> values, Map<Target, String> cells) {

        /**
         * The ratio of ours to another target.
         *
         * @param other the denominator
         * @return the ratio, NaN when either is missing or the denominator is 0
         */
        public double ratio(Target other) {
            double a = values.getOrDefault(Target.OURS, Double.NaN);
            double b = values.getOrDefault(other, Double.NaN);
            return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
        }
    }

    /**
     * The rows for a set of results, in the order their scenarios first appear.
     *
     * @param results the runs
     * @return the rows
     */
    public static List<Row> rows(List<RunResult> results) {
        Map<String, Map<Target, RunResult>> byScenario = new LinkedHashMap<>();
        for (RunResult r : results) {
            byScenario.computeIfAbsent(r.clients().label() + "/" + r.scenario(), k -> new EnumMap<>(Target.class))
                    .put(r.target(), r);
        }
        List<Row> rows = new ArrayList<>();
        for (Map<Target, RunResult> runs : byScenario.values()) {
            RunResult any = runs.values().iterator().next();
            int n = any.players();
            String who = n == 0 ? "idle" : n == 1 ? "1 player" : n + " players";
            if (n <= 1) {
                rows.add(row(runs, who + ": CPU ms per second (steady)", r -> r.steady().cpuMillisPerSecond(),
                        ComparisonTable::number));
            }
            if (n >= 1) {
                rows.add(row(runs, who + ", whole run: CPU ms per GB", r -> r.whole().cpuMillisPerGb(),
                        ComparisonTable::number));
                rows.add(row(runs, who + ", steady: CPU ms per GB (user / sys)", r -> r.steady().cpuMillisPerGb(),
                        (r, v) -> number(v) + " (" + number(r.steady().userMillisPerGb()) + " / "
                                + number(r.steady().systemMillisPerGb()) + ")"));
            }
            rows.add(row(runs, who + ": peak RSS (MB)", r -> r.peakRssBytes() / 1e6, ComparisonTable::number));
            if (n >= 2) {
                rows.add(row(runs, who + " joining at once: first byte p99 (ms)",
                        r -> r.outcome().map(o -> o.herdFirstByte().p99Millis()).orElse(Double.NaN),
                        ComparisonTable::number));
            }
            if (n >= 1) {
                rows.add(row(runs, who + ", steady: Mbit/s per player", r -> r.steady().deliveredMbps() / n,
                        ComparisonTable::number));
            }
        }
        return rows;
    }

    private static Row row(Map<Target, RunResult> runs, String figure, ToDoubleFunction<RunResult> value,
                           CellFormat format) {
        Map<Target, Double> values = new EnumMap<>(Target.class);
        Map<Target, String> cells = new EnumMap<>(Target.class);
        ClientKind clients = null;
        for (Map.Entry<Target, RunResult> e : runs.entrySet()) {
            double v = value.applyAsDouble(e.getValue());
            values.put(e.getKey(), v);
            cells.put(e.getKey(), Double.isNaN(v) ? "–" : format.apply(e.getValue(), v));
            clients = e.getValue().clients();
        }
        return new Row(clients, figure, values, cells);
    }

    /** Formats a cell from the run and its main value. */
    @FunctionalInterface
    private interface CellFormat {
        String apply(RunResult run, double value);
    }

    private static String number(RunResult run, double v) {
        return number(v);
    }

    /**
     * A figure as the table shows it: three significant digits at most, whole numbers from 100.
     *
     * @param v the figure
     * @return its text, {@code –} for NaN
     */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * Renders the rows as a Markdown table.
     *
     * @param rows the rows
     * @return the text, one line per row plus the head
     */
    public static String render(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| clients | figure | ours | acexy | floor | ours/floor | ours/acexy |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.clients().label()).append(" | ").append(r.figure());
            for (Target t : Target.values()) {
                b.append(" | ").append(r.cells().getOrDefault(t, "–"));
            }
            b.append(" | ").append(ratio(r.ratio(Target.FLOOR))).append(" | ").append(ratio(r.ratio(Target.ACEXY)))
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "–" : String.format(Locale.ROOT, "%.2f×", v);
    }

    /**
     * The rows as JSON-ready maps.
     *
     * @param rows the rows
     * @return one map per row
     */
    public static List<Map<String, Object>> toMaps(List<Row> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clients", r.clients().label());
            m.put("figure", r.figure());
            for (Target t : Target.values()) {
                m.put(t.label(), r.values().getOrDefault(t, Double.NaN));
            }
            m.put("ours_over_floor", r.ratio(Target.FLOOR));
            m.put("ours_over_acexy", r.ratio(Target.ACEXY));
            out.add(m);
        }
        return out;
    }
}
