package dev.aceproxy.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class HostLimitsTest {

    private static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            1024                 524288               files
            Max locked memory         8388608              8388608              bytes
            """;

    @Test
    void readsTheOpenFilesLimits() {
        assertThat(HostLimits.openFiles(LIMITS)).containsExactly(1024, 524288);
        assertThat(HostLimits.openFiles("Max open files            unlimited            unlimited            files\n"))
                .containsExactly(Long.MAX_VALUE, Long.MAX_VALUE);
        assertThatIllegalArgumentException().isThrownBy(() -> HostLimits.openFiles("Max processes 1 1\n"));
    }

    @Test
    void countsThePortRange() {
        assertThat(HostLimits.ports("32768\t60999\n")).isEqualTo(28232);
        assertThatIllegalArgumentException().isThrownBy(() -> HostLimits.ports("3"));
    }

    @Test
    void namesWhatIsTooSmallAndHowToRaiseIt() {
        assertThat(HostLimits.problems(1000, 20000, 28232)).isEmpty();
        assertThat(HostLimits.problems(1000, 1024, 28232)).singleElement().asString()
                .contains("open files limit is 1024").contains("ulimit -n 4096");
        assertThat(HostLimits.problems(1000, 20000, 1000)).singleElement().asString()
                .contains("ip_local_port_range");
    }
}
