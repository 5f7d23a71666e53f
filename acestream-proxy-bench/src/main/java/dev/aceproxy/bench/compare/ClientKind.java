package dev.aceproxy.bench.compare;

import java.util.Locale;

/** Which clients play a run. */
public enum ClientKind {
    /** curl processes, as the figures were taken. */
    CURL,
    /** The load tool's own selector-thread readers. */
    READERS;

    /** {@return the name used in tables, JSON and on the command line} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind of a label.
     *
     * @param label {@code curl} or {@code readers}
     * @return the kind
     * @throws IllegalArgumentException for another label
     */
    public static ClientKind of(String label) {
        for (ClientKind k : values()) {
            if (k.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown clients " + label + " (curl, readers)");
    }
}
