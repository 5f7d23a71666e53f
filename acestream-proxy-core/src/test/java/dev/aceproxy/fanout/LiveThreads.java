package dev.aceproxy.fanout;

import dev.aceproxy.testkit.Eventually;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts live threads, virtual ones included, by name, from a JVM thread dump
 * ({@code HotSpotDiagnosticMXBean.dumpThreads}, reached reflectively because the tests are compiled
 * into the core module, which does not read {@code jdk.management}).
 */
final class LiveThreads {

    private static final Pattern NAME = Pattern.compile("\"name\": \"([^\"]*)\"");

    private LiveThreads() {
    }

    static long named(String prefix) throws IOException {
        Path dir = Files.createTempDirectory("threads");
        Path dump = dir.resolve("dump.json");
        try {
            dumpThreads(dump);
            Matcher matcher = NAME.matcher(Files.readString(dump));
            long count = 0;
            while (matcher.find()) {
                if (matcher.group(1).startsWith(prefix)) {
                    count++;
                }
            }
            return count;
        } finally {
            Files.deleteIfExists(dump);
            Files.deleteIfExists(dir);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void dumpThreads(Path file) throws IOException {
        try {
            Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<? extends Enum> formatType = (Class<? extends Enum>)
                    Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Method platformBean = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getPlatformMXBean", Class.class);
            Object bean = platformBean.invoke(null, beanType);
            beanType.getMethod("dumpThreads", String.class, formatType)
                    .invoke(bean, file.toString(), Enum.valueOf(formatType, "JSON"));
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot dump threads", e);
        }
    }

    /** Waits up to two seconds for no live thread named {@code prefix...}; fails naming the last count. */
    static void awaitNone(String prefix) throws IOException, InterruptedException {
        Eventually.within(Duration.ofSeconds(2), "no live thread named " + prefix + "*", () -> named(prefix),
                count -> count == 0);
    }
}
