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
 *
 * <p>The JDK resets logging in a shutdown hook of its own, which would silence the server's
 * shutdown lines; {@link KeepingLogManager} keeps the handlers until the JVM halts.
 */
final class ConsoleLogging {

    private static final String FORMAT = "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n";

    private ConsoleLogging() {
    }

    /**
     * A log manager that ignores {@link #reset()}, so that the lines logged while shutting down
     * still appear.
     */
    public static final class KeepingLogManager extends LogManager {
        /** Creates the manager; the JDK instantiates it from {@code java.util.logging.manager}. */
        public KeepingLogManager() {
        }

        @Override
        public void reset() {
            // Kept on purpose: the handlers live until the JVM halts.
        }

        void resetNow() {
            super.reset();
        }
    }

    /**
     * Installs the one-line console format, unless the user configured logging. Call first thing
     * in {@code main}, before anything logs.
     */
    static void install() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", KeepingLogManager.class.getName());
        }
        LogManager manager = LogManager.getLogManager();
        if (manager instanceof KeepingLogManager keeping) {
            keeping.resetNow();
        } else {
            manager.reset();
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        handler.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }
}
