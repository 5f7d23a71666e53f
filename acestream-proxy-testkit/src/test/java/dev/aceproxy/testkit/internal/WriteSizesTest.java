package dev.aceproxy.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.WriteProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WriteSizesTest {

    private static final long RATE = 1_700_000;

    @Test
    void theSameSeedGivesTheSameSizesAndAnotherSeedOthers() {
        assertThat(sizes(WriteProfile.ragged(5), 1000)).isEqualTo(sizes(WriteProfile.ragged(5), 1000))
                .isNotEqualTo(sizes(WriteProfile.ragged(6), 1000));
        assertThat(sizes(WriteProfile.trickle(5), 1000)).isEqualTo(sizes(WriteProfile.trickle(5), 1000))
                .isNotEqualTo(sizes(WriteProfile.trickle(6), 1000));
    }

    @Test
    void raggedSizesSpanTinyToLargeAndRarelyWholePackets() {
        List<Integer> sizes = sizes(WriteProfile.ragged(11), 20_000);

        assertThat(sizes).allMatch(n -> n >= 1 && n <= WriteProfile.RAGGED_MAX_WRITE_BYTES);
        assertThat(sizes.stream().filter(n -> n % 188 == 0).count()).as("whole packets").isLessThan(sizes.size() / 50);
        assertThat(sizes.stream().filter(n -> n < 188).count()).as("tiny").isGreaterThan(sizes.size() / 4);
        assertThat(sizes.stream().filter(n -> n >= 188 && n < 16_384).count()).as("mid").isGreaterThan(sizes.size() / 4);
        assertThat(sizes.stream().filter(n -> n >= 16_384).count()).as("large").isGreaterThan(sizes.size() / 8);
        assertThat(sizes.stream().filter(n -> n > 100_000).count()).as("near the top").isPositive();
    }

    @Test
    void trickleSizesStayBetween100BytesAnd2KiB() {
        List<Integer> sizes = sizes(WriteProfile.trickle(), 5_000);

        assertThat(sizes).allMatch(n -> n >= 100 && n <= 2048);
        assertThat(sizes.stream().distinct().count()).isGreaterThan(1000);
    }

    @Test
    void uniformSizesAreWholePacketsOfTenMilliseconds() {
        assertThat(sizes(WriteProfile.uniform(), 100)).containsOnly(11 * 188); // 1.7 Mbit/s: 2125 B per 10 ms
    }

    @Test
    void fixedSizesAreAllTheSameWhateverTheRate() {
        assertThat(sizes(WriteProfile.fixed(12_032), 100)).containsOnly(12_032);
        assertThat(sizes(WriteProfile.fixed(1_000), 100)).containsOnly(1_000);
        WriteSizes withBurst = WriteSizes.of(WriteProfile.fixed(12_032).withBurst(20_000), RATE);
        assertThat(withBurst.next(0)).isEqualTo(12_032);
        assertThat(withBurst.next(12_032)).as("cut where the burst ends").isEqualTo(20_000 - 12_032);
        assertThat(withBurst.next(20_000)).isEqualTo(12_032);
    }

    @Test
    void aWriteInsideTheBurstEndsWhereTheBurstDoes() {
        WriteSizes sizes = WriteSizes.of(WriteProfile.ragged(1).withBurst(1000), RATE);
        long sent = 0;
        List<Long> ends = new ArrayList<>();
        while (sent < 1000) {
            sent += sizes.next(sent);
            ends.add(sent);
        }
        assertThat(ends).last().isEqualTo(1000L);
    }

    private static List<Integer> sizes(WriteProfile profile, int count) {
        WriteSizes sizes = WriteSizes.of(profile, RATE);
        List<Integer> out = new ArrayList<>();
        long sent = 0;
        for (int i = 0; i < count; i++) {
            int n = sizes.next(sent);
            sent += n;
            out.add(n);
        }
        return out;
    }
}
