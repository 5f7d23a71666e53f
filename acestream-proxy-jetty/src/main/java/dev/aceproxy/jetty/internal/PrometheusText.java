package dev.aceproxy.jetty.internal;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes metrics in the Prometheus text exposition format (version 0.0.4): each family once with
 * its {@code # HELP} and {@code # TYPE} lines, then its samples, label values escaped. Not
 * thread-safe; one per scrape.
 */
public final class PrometheusText {

    /** The content type of the exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** The kind of a metric family. */
    public enum Type {
        /** A value that only grows (names end in {@code _total}). */
        COUNTER,
        /** A value that goes up and down. */
        GAUGE
    }

    private final StringBuilder out = new StringBuilder(1024);
    private final Set<String> declared = new HashSet<>();

    /**
     * Declares a family: writes its {@code HELP} and {@code TYPE} lines, once.
     *
     * @param name the metric name
     * @param type counter or gauge
     * @param help one line describing it
     * @return this writer
     * @throws IllegalArgumentException if the name is not a valid metric name
     */
    public PrometheusText family(String name, Type type, String help) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        if (declared.add(name)) {
            out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                    .append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type.name().toLowerCase(Locale.ROOT)).append('\n');
        }
        return this;
    }

    /**
     * Writes one sample without labels.
     *
     * @param name the metric name, declared before
     * @param value the value
     * @return this writer
     */
    public PrometheusText sample(String name, double value) {
        return sample(name, Map.of(), value);
    }

    /**
     * Writes one sample.
     *
     * @param name the metric name, declared before
     * @param labels label names and values, written in iteration order
     * @param value the value
     * @return this writer
     * @throws IllegalStateException if the family was not declared
     */
    public PrometheusText sample(String name, Map<String, String> labels, double value) {
        if (!declared.contains(name)) {
            throw new IllegalStateException("family " + name + " was not declared");
        }
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(format(value)).append('\n');
        return this;
    }

    /**
     * Returns the exposition written so far.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return out.toString();
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
