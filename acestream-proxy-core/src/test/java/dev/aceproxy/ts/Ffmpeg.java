package dev.aceproxy.ts;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Decodes a transport stream with ffmpeg and returns what it reported at level error. */
public final class Ffmpeg {

    private Ffmpeg() {
    }

    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "ffmpeg"))) {
                return true;
            }
        }
        return false;
    }

    public static void assumeAvailable() {
        assumeTrue(available(), "ffmpeg is not on the PATH: skipping the decode check (CI installs it)");
    }

    /** Runs {@code ffmpeg -v error -i <file> -f null -}; returns its output (empty when clean). */
    public static String decodeErrors(byte[] ts, Path dir) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "joiner", ".ts");
        Files.write(file, ts);
        Process process = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
                "-i", file.toString(), "-f", "null", "-")
                .redirectErrorStream(true)
                .start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("ffmpeg did not finish");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? text : "exit " + process.exitValue() + ": " + text;
        } finally {
            process.destroyForcibly();
        }
    }
}
