package dev.aceproxy.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HeapProbeTest {

    @Test
    void g1() {
        String out = """
                10113:
                garbage-first heap   total reserved 6172672K, committed 393216K, used 11771K [0x0000000687400000, 0x0000000800000000)
                 region size 4096K, 3 young (12288K), 1 survivors (4096K)
                 Metaspace       used 1200K, committed 1344K, reserved 1114112K
                  class space    used 100K, committed 192K, reserved 1048576K
                """;
        assertThat(HeapProbe.parseUsedBytes(out)).isEqualTo(OptionalLong.of(11771L * 1024));
    }

    @Test
    void serialSumsBothGenerationsAndIgnoresSpacePercentages() {
        String out = """
                10172:
                DefNew     total 116160K, used 31021K [0x0000000687400000, 0x000000068f200000, 0x0000000704d50000)
                 eden space 103296K,  30% used [0x0000000687400000, 0x000000068924b558, 0x000000068d8e0000)
                 from space 12864K,   0% used [0x000000068d8e0000, 0x000000068d8e0000, 0x000000068e570000)
                Tenured    total 258048K, used 1166K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
                 the  space 258048K,   0% used [0x0000000704d50000, 0x0000000704e73ab8, 0x0000000714950000)
                """;
        assertThat(HeapProbe.parseUsedBytes(out)).isEqualTo(OptionalLong.of((31021L + 1166L) * 1024));
    }

    @Test
    void zgcInMegabytes() {
        String out = """
                10286:
                ZHeap            used 60M, capacity 378M, max capacity 6028M
                 Cache           318M (1)
                """;
        assertThat(HeapProbe.parseUsedBytes(out)).isEqualTo(OptionalLong.of(60L * 1024 * 1024));
    }

    @Test
    void anErrorGivesNothing() {
        assertThat(HeapProbe.parseUsedBytes("10286:\ncom.sun.tools.attach.AttachNotSupportedException\n")).isEmpty();
    }
}
