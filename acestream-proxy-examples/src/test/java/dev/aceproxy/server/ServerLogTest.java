package dev.aceproxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.registry.StreamEnd;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ServerLogTest {

    /** Keeps every line with its level. */
    private static final class Lines implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        @Override
        public void log(Level level, Supplier<String> msgSupplier) {
            lines.add(level + " " + msgSupplier.get());
        }

        List<String> at(Level level) {
            return lines.stream().filter(l -> l.startsWith(level + " ")).toList();
        }
    }

    @Test
    void joinsAndLeavesAreDebugWithAtMostOneInfoSummaryPerInterval() {
        AtomicLong now = new AtomicLong();
        Lines lines = new Lines();
        ServerLog log = new ServerLog(now::get, lines);
        for (int i = 0; i < 1000; i++) {
            log.clientJoined("s", i);
            log.clientLeft("s", i, new StreamEnd(EndReason.CLIENT_CLOSED, java.util.Optional.empty()));
            now.addAndGet(1_000_000);  // 1 ms per pair: 1 s in all
        }
        assertThat(lines.at(System.Logger.Level.DEBUG)).hasSize(2000);
        assertThat(lines.at(System.Logger.Level.INFO)).isEmpty();
        now.addAndGet(ServerLog.SUMMARY_INTERVAL.toNanos());
        log.clientJoined("s", 1000);
        assertThat(lines.at(System.Logger.Level.INFO)).containsExactly(
                "INFO players: 1001 joined, 1000 left {CLIENT_CLOSED=1000} in the last 11 s");
        log.clientJoined("s", 1001);
        assertThat(lines.at(System.Logger.Level.INFO)).hasSize(1);
    }
}
