package dev.aceproxy.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The extracted distribution, and its launcher run the way an operator runs it but with an
 * environment that holds no Java: {@code PATH} is an empty directory and there is no
 * {@code JAVA_HOME}.
 */
final class Distribution {

    private final Path home;
    private final Path emptyPath;

    /** A distribution already in place at {@code home}; the launcher runs with {@code emptyPath} as PATH. */
    Distribution(Path home, Path emptyPath) {
        this.home = home;
        this.emptyPath = emptyPath;
    }

    /** Extracts the tarball under {@code dir} with the system's tar. */
    static Distribution extract(Path tarball, Path dir) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as("tar: %s", output).isZero();
        List<Path> tops;
        try (Stream<Path> s = Files.list(dir)) {
            tops = s.toList();
        }
        assertThat(tops).as("one top directory").hasSize(1);
        Path empty = Files.createDirectories(dir.resolve("empty-path"));
        return new Distribution(tops.get(0), empty);
    }

    Path home() {
        return home;
    }

    /** Starts the launcher with {@code args}; extra variables on top of the Java-free environment. */
    Process start(Map<String, String> extraEnv, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/acestream-proxy").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(home.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", emptyPath.toString());
        env.put("LANG", "C.UTF-8");
        env.putAll(extraEnv);
        return pb.start();
    }

    /** Runs the launcher to its end; returns its exit status and its output. */
    Result run(Map<String, String> extraEnv, Duration timeout, String... args) throws IOException, InterruptedException {
        Process p = start(extraEnv, args);
        Output out = Output.follow(p);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("launcher " + List.of(args) + " did not end in " + timeout + ": " + out.text());
        }
        out.awaitEnd(Duration.ofSeconds(5));
        return new Result(p.exitValue(), out.text());
    }

    /** An exit status and the output of a run. */
    record Result(int status, String output) {
    }

    /** Reads a process's output on a virtual thread to its end, keeping the lines. */
    static final class Output {
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        private Output(Process p) {
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            reader = Thread.ofVirtual().name("launcher-output").start(() -> {
                try (in) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process is gone
                }
            });
        }

        static Output follow(Process p) {
            return new Output(p);
        }

        List<String> lines() {
            return lines;
        }

        String text() {
            return String.join("\n", lines);
        }

        void awaitEnd(Duration timeout) throws InterruptedException {
            assertThat(reader.join(timeout)).as("output ended").isTrue();
        }
    }
}
