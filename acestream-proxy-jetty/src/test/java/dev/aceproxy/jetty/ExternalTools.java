package dev.aceproxy.jetty;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Tools some tests drive (ffmpeg, Chromium, hls.js). Locally a missing tool skips the test; in CI
 * ({@code CI=true}, set by {@code .ci/run}) it fails it, since {@code .ci/run} installs them.
 */
final class ExternalTools {

    /** Where {@code .ci/run} installs hls.js (npm, pinned), relative to the repository's root. */
    static final Path HLS_JS = Path.of(".ci", "node", "node_modules", "hls.js", "dist", "hls.min.js");

    private ExternalTools() {
    }

    static void require(boolean present, String what) {
        if ("true".equalsIgnoreCase(System.getenv("CI")) && !present) {
            fail(what + " is missing, and CI must run this test (.ci/run installs it)");
        }
        assumeTrue(present, what + " is not installed");
    }

    static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** hls.js as .ci/run installs it, looked for from the module's directory up. */
    static Path hlsJs() {
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 3 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve(HLS_JS);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
