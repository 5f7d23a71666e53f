package dev.aceproxy.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class RecoveryWaitTest {

    private static final Duration EIGHT = Duration.ofSeconds(8);

    @Test
    void anAttemptThatGoesAtOnceWaitsNothing() {
        assertThat(RecoveryWait.before(EIGHT, true, null, true)).isZero();
    }

    @Test
    void theBackoffIsCappedWhilePlayersWaitOnly() {
        assertThat(RecoveryWait.before(EIGHT, false, null, true)).isEqualTo(RecoveryWait.PLAYERS_WAITING_CAP);
        assertThat(RecoveryWait.before(Duration.ofMillis(500), false, null, true)).isEqualTo(Duration.ofMillis(500));
        assertThat(RecoveryWait.before(EIGHT, false, null, false)).isEqualTo(EIGHT);
    }
}
