package dev.aceproxy.bench.compare;

import java.util.Locale;

/** The three servers the comparison runs, in the order it runs them. */
public enum Target {
    /** The reference server ({@code acestream-proxy-server.jar}), with the launcher's default JVM settings. */
    OURS,
    /** acexy, the Go peer, built from its public source ({@code acexy-bin}). */
    ACEXY,
    /** {@code floor}: one upstream read, each gathered block written to every client. */
    FLOOR;

    /** {@return the name used in tables, JSON and on the command line} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The target of a label.
     *
     * @param label {@code ours}, {@code acexy} or {@code floor}
     * @return the target
     * @throws IllegalArgumentException for another label
     */
    public static Target of(String label) {
        for (Target t : values()) {
            if (t.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target " + label + " (ours, acexy, floor)");
    }
}
