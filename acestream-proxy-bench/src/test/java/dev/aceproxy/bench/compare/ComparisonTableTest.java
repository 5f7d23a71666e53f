package dev.aceproxy.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.aceproxy.bench.load.LatencySummary;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    private static RunResult run(Target t, int players, double cpuMillis, long bytes, long rss, double p99) {
        WindowFigures w = new WindowFigures(10, cpuMillis * 0.25, cpuMillis * 0.75, bytes, bytes / Math.max(players, 1));
        Optional<PlayerOutcome> o = players == 0 ? Optional.empty()
                : Optional.of(new PlayerOutcome(bytes, 5, new LatencySummary(players - 1, p99 / 2, p99, p99), 0, 0));
        return new RunResult(t, ClientKind.CURL, players, w, w, o, rss, bytes, 1, 1, List.of());
    }

    @Test
    void ratiosAreOursOverEachReference() {
        List<RunResult> results = List.of(
                run(Target.OURS, 300, 900, 1_000_000_000L, 200_000_000, 500),
                run(Target.ACEXY, 300, 600, 1_000_000_000L, 40_000_000, 1000),
                run(Target.FLOOR, 300, 300, 1_000_000_000L, 3_000_000, 10));
        List<ComparisonTable.Row> rows = ComparisonTable.rows(results);
        ComparisonTable.Row steady = rows.stream().filter(r -> r.figure().contains("steady: CPU ms per GB"))
                .findFirst().orElseThrow();
        assertThat(steady.ratio(Target.FLOOR)).isCloseTo(3.0, within(1e-9));
        assertThat(steady.ratio(Target.ACEXY)).isCloseTo(1.5, within(1e-9));
        assertThat(steady.cells().get(Target.OURS)).isEqualTo("900 (225 / 675)");
        ComparisonTable.Row p99 = rows.stream().filter(r -> r.figure().contains("first byte p99")).findFirst()
                .orElseThrow();
        assertThat(p99.ratio(Target.ACEXY)).isCloseTo(0.5, within(1e-9));
        String table = ComparisonTable.render(rows);
        assertThat(table).startsWith("| clients | figure | ours | acexy | floor | ours/floor | ours/acexy |\n");
        assertThat(table).contains("| curl | 300 players, steady: CPU ms per GB (user / sys) | 900 (225 / 675) | "
                + "600 (150 / 450) | 300 (75.0 / 225) | 3.00× | 1.50× |");
        assertThat(table).contains("| curl | 300 players: peak RSS (MB) | 200 | 40.0 | 3.00 | 66.67× | 5.00× |");
        assertThat(ComparisonTable.toMaps(rows).getFirst()).containsKeys("ours", "acexy", "floor",
                "ours_over_floor", "ours_over_acexy");
    }

    @Test
    void idleAndOnePlayerRowsAndMissingTargets() {
        List<ComparisonTable.Row> rows = ComparisonTable.rows(List.of(run(Target.OURS, 0, 15, 0, 90_000_000, 0),
                run(Target.FLOOR, 0, 0, 0, 2_000_000, 0), run(Target.OURS, 1, 400, 5_000_000, 95_000_000, 0)));
        assertThat(rows).extracting(ComparisonTable.Row::figure).containsExactly(
                "idle: CPU ms per second (steady)", "idle: peak RSS (MB)",
                "1 player: CPU ms per second (steady)", "1 player, whole run: CPU ms per GB",
                "1 player, steady: CPU ms per GB (user / sys)", "1 player: peak RSS (MB)",
                "1 player, steady: Mbit/s per player");
        ComparisonTable.Row idle = rows.getFirst();
        assertThat(idle.values().get(Target.OURS)).isEqualTo(1.5);
        assertThat(idle.ratio(Target.FLOOR)).isNaN();
        assertThat(idle.ratio(Target.ACEXY)).isNaN();
        assertThat(ComparisonTable.render(rows)).contains("| curl | idle: CPU ms per second (steady) | 1.50 | – | 0.00 | – | – |");
    }

    @Test
    void numbersKeepAboutThreeDigits() {
        assertThat(ComparisonTable.number(7449.4)).isEqualTo("7449");
        assertThat(ComparisonTable.number(28.04)).isEqualTo("28.0");
        assertThat(ComparisonTable.number(2.4)).isEqualTo("2.40");
        assertThat(ComparisonTable.number(Double.NaN)).isEqualTo("–");
    }
}
