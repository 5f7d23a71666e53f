package dev.aceproxy.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The server's version, written into {@code version.properties} by the build. */
final class ServerVersion {

    private static final String RESOURCE = "version.properties";

    private ServerVersion() {
    }

    /**
     * Reads the version.
     *
     * @return the project version the jar was built as, such as {@code 0.1.0}
     * @throws UncheckedIOException if the build left no version resource
     */
    static String get() {
        try (InputStream in = ServerVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException(RESOURCE + " is missing from the build"));
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
