package dev.aceproxy.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds a command on the test's own PATH (the launcher's PATH is empty). */
final class Tools {

    private Tools() {
    }

    static Optional<String> find(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
