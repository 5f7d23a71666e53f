package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProcParsingTest {

    // A real line from a JVM, with a command name that holds a space and a parenthesis.
    private static final String STAT = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 39016 0 3 0 "
            + "1234 567 0 0 20 0 31 0 123456 4050001920 28000 18446744073709551615 1 1 0 0 0 0 0 3 16800972 0 0 0 17 1 0 0 0 0 0";

    @Test
    void statGivesUserSystemTicksAndThreads() {
        ProcStat s = ProcStat.parse(STAT);
        assertThat(s.userTicks()).isEqualTo(1234);
        assertThat(s.systemTicks()).isEqualTo(567);
        assertThat(s.totalTicks()).isEqualTo(1801);
        assertThat(s.threads()).isEqualTo(31);
    }

    @Test
    void statRejectsOtherText() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProcStat.parse("no parenthesis here"));
        assertThatIllegalArgumentException().isThrownBy(() -> ProcStat.parse("1 (x) S 1 2"));
    }

    @Test
    void statusGivesPeakAndCurrentRssAndThreads() {
        String status = """
                Name:\tjava
                State:\tS (sleeping)
                VmPeak:\t 4050000 kB
                VmHWM:\t  123456 kB
                VmRSS:\t  100000 kB
                Threads:\t31
                """;
        ProcStatus s = ProcStatus.parse(status);
        assertThat(s.peakRssBytes()).isEqualTo(123456L * 1024);
        assertThat(s.rssBytes()).isEqualTo(100000L * 1024);
        assertThat(s.threads()).isEqualTo(31);
    }

    @Test
    void statusWithoutMemoryLinesIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProcStatus.parse("Name:\tkthreadd\nThreads:\t1\n"));
    }

    @Test
    void machineCpuSplitsBusyAndIdle() {
        MachineCpu a = MachineCpu.parse("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\n");
        assertThat(a).isEqualTo(new MachineCpu(150, 850));
        MachineCpu b = MachineCpu.parse("cpu  200 0 100 850 50 0 0 0 0 0\n");
        assertThat(b.busyFractionSince(a)).as("150 busy of 200").isEqualTo(0.75);
        assertThat(a.busyFractionSince(a)).isNaN();
        assertThatIllegalArgumentException().isThrownBy(() -> MachineCpu.parse("intr 1 2 3\n"));
    }

    @Test
    void readsThisProcessFromProc() throws IOException, InterruptedException {
        assumeThat(ProcFs.available()).as("Linux /proc").isTrue();
        ProcFs proc = ProcFs.detect();
        long self = ProcessHandle.current().pid();
        assertThat(proc.stat(self).threads()).isPositive();
        assertThat(proc.status(self).peakRssBytes()).isGreaterThanOrEqualTo(proc.status(self).rssBytes() / 2).isPositive();
        assertThat(proc.openFileDescriptors(self)).isGreaterThan(2);
        assertThat(proc.clockTicksPerSecond()).isPositive();
        assertThat(proc.seconds(proc.clockTicksPerSecond() * 3)).isEqualTo(3.0);
        assertThat(proc.machine().busyTicks()).isPositive();
    }
}
