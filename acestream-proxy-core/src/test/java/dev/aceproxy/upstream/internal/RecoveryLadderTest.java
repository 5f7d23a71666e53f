package dev.aceproxy.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.registry.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecoveryLadderTest {

    private final RecoveryLadder ladder = new RecoveryLadder(
            new RetryPolicy(Duration.ofMillis(10), 2.0, Duration.ofMillis(100), 0.0, 2, Duration.ofSeconds(1)));

    @Test
    void rungsAreClimbedInOrderWithTheirAttemptsCounted() {
        assertThat(ladder.next(true, true)).isEqualTo(RecoveryLadder.Rung.RECONNECT);
        assertThat(ladder.attempt(RecoveryLadder.Rung.RECONNECT)).isEqualTo(1);
        assertThat(ladder.attempt(RecoveryLadder.Rung.RECONNECT)).isEqualTo(2);
        assertThat(ladder.next(true, true)).isEqualTo(RecoveryLadder.Rung.NEW_SESSION);
        ladder.exhaust(RecoveryLadder.Rung.NEW_SESSION);
        assertThat(ladder.next(true, true)).isEqualTo(RecoveryLadder.Rung.FAILOVER);
        ladder.attempt(RecoveryLadder.Rung.FAILOVER);
        ladder.attempt(RecoveryLadder.Rung.FAILOVER);
        assertThat(ladder.next(true, true)).isNull();
        ladder.reset();
        assertThat(ladder.next(true, true)).isEqualTo(RecoveryLadder.Rung.RECONNECT);
    }

    @Test
    void unavailableRungsAreSkipped() {
        assertThat(ladder.next(false, false)).isEqualTo(RecoveryLadder.Rung.NEW_SESSION);
        ladder.exhaust(RecoveryLadder.Rung.NEW_SESSION);
        assertThat(ladder.next(true, false)).isEqualTo(RecoveryLadder.Rung.RECONNECT);
        ladder.exhaust(RecoveryLadder.Rung.RECONNECT);
        assertThat(ladder.next(true, false)).as("a single content cannot fail over").isNull();
    }
}
