import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Build step of the distribution, run by the toolchain's java as a source file:
 * {@code java MakeRuntime.java SERVER_JAR OUTPUT_DIR}. Asks jdeps which JDK modules the server jar
 * needs, then has jlink build a runtime of exactly those in OUTPUT_DIR, replacing what was there.
 *
 * <p>One module jdeps reports is left out: {@code java.desktop}, which Jetty reaches only from its
 * class-loader leak preventers ({@code org.eclipse.jetty.util.preventers}) and the
 * {@code IntrospectorCleaner} listener; the server loads neither, and the module is a third of
 * the runtime. The distribution test runs the server from this runtime, streams, and asks every
 * endpoint, so a module that is in fact needed fails the build. The modules are stored
 * uncompressed: the tarball's gzip does better on them than jlink's own zip, and they load
 * faster.
 */
public class MakeRuntime {

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: MakeRuntime SERVER_JAR OUTPUT_DIR");
        }
        Path jar = Path.of(args[0]);
        Path out = Path.of(args[1]);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist: build acestream-proxy-examples first");
        }
        String found = run("jdeps", "--print-module-deps", "--ignore-missing-deps", "--multi-release", "21",
                jar.toString()).strip();
        Set<String> modules = new LinkedHashSet<>(List.of(found.split(",")));
        modules.remove("java.desktop");
        System.out.println("[dist] jdeps: the server jar uses " + found + "; leaving out java.desktop");
        deleteTree(out);
        run("jlink", "--add-modules", String.join(",", modules), "--strip-debug", "--no-header-files",
                "--no-man-pages", "--output", out.toString());
        System.out.println("[dist] runtime in " + out + ": " + String.join(",", modules));
    }

    private static String run(String tool, String... args) {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IllegalStateException(tool + " is not in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = provider.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        if (status != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed (" + status + "): "
                    + err + out);
        }
        return out.toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
