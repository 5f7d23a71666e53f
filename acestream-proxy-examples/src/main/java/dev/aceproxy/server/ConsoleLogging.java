package dev.aceproxy.server;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * One line per log record on standard error, for the reference server's own logs and the core's
 * (which log through {@link System.Logger}, backed by {@code java.util.logging}). Jetty logs
 * through SLF4J to its own simple logger, configured in {@code jetty-logging.properties}.
 */
final class ConsoleLogging {

    private static final String FORMAT = "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n";

    private ConsoleLogging() {
    }

    /** Replaces the default two-line console format, unless the user configured logging. */
    static void install() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }
}
