package dev.aceproxy.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcTreeTest {

    /** A stat line whose command name holds a space and a parenthesis; fields as the kernel writes them. */
    private static String stat(long pid, long ppid, long utime, long stime, long cutime, long cstime) {
        return pid + " (odd (name) x) S " + ppid + " " + pid + " " + pid + " 0 -1 4194560 100 0 0 0 "
                + utime + " " + stime + " " + cutime + " " + cstime + " 20 0 3 0 1234 100000 500 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    }

    @Test
    void entryReadsParentAndTheFourTimes() {
        ProcTree.Entry e = ProcTree.Entry.parse(stat(42, 7, 1000, 200, 30, 4));
        assertThat(e).isEqualTo(new ProcTree.Entry(42, 7, 1000, 200, 30, 4));
    }

    @Test
    void entryRejectsOtherText() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProcTree.Entry.parse("no parentheses"));
        assertThatIllegalArgumentException().isThrownBy(() -> ProcTree.Entry.parse("1 (x) S 1 2 3"));
        assertThatIllegalArgumentException().isThrownBy(() -> ProcTree.Entry.parse(stat(1, 1, 1, 1, 1, 1)
                .replace(" 1000 ", " x ").replace("S 1 ", "S y ")));
    }

    @Test
    void sumsTheRootItsChildrenAndGrandchildrenButNotOthers() {
        List<ProcTree.Entry> entries = List.of(
                ProcTree.Entry.parse(stat(1, 0, 5, 5, 0, 0)),          // init: not in the tree
                ProcTree.Entry.parse(stat(100, 1, 300, 100, 20, 10)),  // the root; 30 ticks of reaped children
                ProcTree.Entry.parse(stat(101, 100, 50, 40, 0, 0)),    // child
                ProcTree.Entry.parse(stat(102, 101, 7, 3, 0, 0)),      // grandchild
                ProcTree.Entry.parse(stat(200, 1, 999, 999, 0, 0)));   // a stranger
        ProcTree.Usage u = ProcTree.sum(100, entries, Map.of(100L, 1000L, 101L, 200L, 102L, 30L, 200L, 99999L));
        assertThat(u.userTicks()).isEqualTo(300 + 20 + 50 + 7);
        assertThat(u.systemTicks()).isEqualTo(100 + 10 + 40 + 3);
        assertThat(u.totalTicks()).isEqualTo(377 + 153);
        assertThat(u.rssBytes()).isEqualTo(1230);
        assertThat(u.processes()).isEqualTo(3);
    }

    @Test
    void aMissingRootGivesAnEmptyTree() {
        ProcTree.Usage u = ProcTree.sum(5, List.of(ProcTree.Entry.parse(stat(6, 5, 1, 1, 0, 0))), Map.of());
        assertThat(u).isEqualTo(new ProcTree.Usage(0, 0, 0, 0));
    }

    @Test
    void vmRssIsReadInBytesAndAZombieHasNone() {
        assertThat(ProcTree.vmRssBytes("Name:\tjava\nVmHWM:\t  200 kB\nVmRSS:\t  123 kB\nThreads:\t3\n"))
                .isEqualTo(123 * 1024);
        assertThat(ProcTree.vmRssBytes("Name:\tx\nState:\tZ (zombie)\n")).isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> ProcTree.vmRssBytes("VmRSS:\tlots kB\n"));
    }

    @Test
    void readsTheLiveTreeOfThisProcessWithAChild() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            ProcTree.Usage u = ProcTree.read(ProcessHandle.current().pid());
            assertThat(u.processes()).isGreaterThanOrEqualTo(2);
            assertThat(u.rssBytes()).isPositive();
            assertThat(ProcTree.read(child.pid()).processes()).isEqualTo(1);
        } finally {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(ProcTree.read(child.pid()).processes()).isZero();
    }
}
