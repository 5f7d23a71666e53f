package dev.aceproxy.upstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.engine.ChannelUnavailableException;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.registry.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one plan of what the pump tries next and how long it waits (no engine refuses here). */
class RecoveryPlanTest {

    private static final RetryPolicy RETRY =
            new RetryPolicy(Duration.ofMillis(10), 2.0, Duration.ofMillis(100), 0.0, 2, Duration.ofSeconds(1));

    private static RecoveryPlan plan(int alternates) {
        return new RecoveryPlan(RETRY, null, alternates);
    }

    @Test
    void recoveryClimbsTheLadderInOrderWithItsAttemptsCounted() throws IOException {
        RecoveryPlan plan = plan(2);
        plan.beginRecovery();
        RecoveryPlan.Attempt first = plan.next(true, false);
        assertThat(first).isEqualTo(new RecoveryPlan.Attempt(RecoveryPlan.Step.RECONNECT, 1, Duration.ZERO));
        plan.failed(first.step(), new IOException("reset"), null, false);
        assertThat(plan.next(true, false)).isEqualTo(
                new RecoveryPlan.Attempt(RecoveryPlan.Step.RECONNECT, 2, Duration.ofMillis(20)));
        assertThat(plan.next(true, false).step()).isEqualTo(RecoveryPlan.Step.NEW_SESSION);
        RecoveryPlan.Attempt newSession = plan.next(true, false);
        assertThat(newSession.number()).isEqualTo(2);
        assertThat(plan.next(true, false).step()).isEqualTo(RecoveryPlan.Step.FAILOVER);
        assertThat(plan.next(true, false).step()).isEqualTo(RecoveryPlan.Step.FAILOVER);
        assertThat(plan.next(true, false)).as("every rung used up").isNull();
        assertThat(plan.gaveUp("the engine ended the stream")).hasMessageContaining("reset");
        plan.reset();
        assertThat(plan.next(true, false).step()).isEqualTo(RecoveryPlan.Step.RECONNECT);
    }

    @Test
    void rungsThatCannotWorkAreSkipped() {
        RecoveryPlan plan = plan(1);
        plan.beginRecovery();
        assertThat(plan.next(false, false).step()).as("no playback url to reopen").isEqualTo(RecoveryPlan.Step.NEW_SESSION);
        plan.next(false, false);
        assertThat(plan.next(false, false)).as("a single content cannot fail over").isNull();
    }

    @Test
    void aContentTheEngineCannotLoadSkipsToFailoverForAChannel() throws IOException {
        RecoveryPlan plan = plan(3);
        plan.beginRecovery();
        RecoveryPlan.Attempt attempt = plan.next(false, false);
        assertThat(attempt.step()).isEqualTo(RecoveryPlan.Step.NEW_SESSION);
        plan.failed(attempt.step(), new ContentUnavailableException("gone"), null, false);
        assertThat(plan.next(false, false).step()).isEqualTo(RecoveryPlan.Step.FAILOVER);
    }

    @Test
    void backoffsAreCappedWhilePlayersWait() {
        RetryPolicy slow = new RetryPolicy(Duration.ofSeconds(4), 2.0, Duration.ofSeconds(8), 0.0, 3,
                Duration.ofSeconds(1));
        RecoveryPlan plan = new RecoveryPlan(slow, null, 1);
        plan.beginRecovery();
        plan.next(true, true);
        assertThat(plan.next(true, true).delay()).isEqualTo(RecoveryWait.PLAYERS_WAITING_CAP);
        assertThat(plan.next(true, false).delay()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void theStartTriesAtOnceThenBacksOffAndFailsAfterMaxAttempts() throws IOException {
        RecoveryPlan plan = plan(1);
        plan.beginStart();
        assertThat(plan.recovering()).isFalse();
        RecoveryPlan.Attempt first = plan.next(false, false);
        assertThat(first).isEqualTo(new RecoveryPlan.Attempt(RecoveryPlan.Step.START, 1, Duration.ZERO));
        EngineProtocolException nonsense = new EngineProtocolException("nonsense");
        assertThat(plan.failed(first.step(), nonsense, null, false)).isEqualTo(RecoveryPlan.Next.RETRY);
        assertThat(plan.next(false, false).delay()).isEqualTo(Duration.ofMillis(10));
        assertThatThrownBy(() -> plan.failed(RecoveryPlan.Step.START, nonsense, null, false))
                .as("the second failure of two allowed").isSameAs(nonsense);
    }

    @Test
    void warmingUpIsRetriedWithoutCounting() throws IOException {
        RecoveryPlan plan = plan(1);
        plan.beginStart();
        for (int i = 0; i < 5; i++) {
            RecoveryPlan.Attempt attempt = plan.next(false, false);
            assertThat(plan.failed(attempt.step(), new WarmingUpException("prebuffering"), null, false))
                    .isEqualTo(RecoveryPlan.Next.RETRY);
        }
        assertThat(plan.failed(RecoveryPlan.Step.START, new EngineUnavailableException("HTTP 500"), null, false))
                .as("the first counted failure").isEqualTo(RecoveryPlan.Next.RETRY);
    }

    @Test
    void aContentTheEngineCannotLoadMovesTheStartToTheNextAlternateAtOnce() throws IOException {
        RecoveryPlan plan = plan(2);
        plan.beginStart();
        plan.next(false, false);
        ContentUnavailableException cannot = new ContentUnavailableException("cannot load");
        assertThat(plan.failed(RecoveryPlan.Step.START, cannot, null, false))
                .isEqualTo(RecoveryPlan.Next.NEXT_ALTERNATE);
        assertThat(plan.next(false, false).delay()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> plan.failed(RecoveryPlan.Step.START, cannot, null, false))
                .as("no alternate left").isInstanceOfSatisfying(ChannelUnavailableException.class, e -> {
                    assertThat(e.alternates()).isEqualTo(2);
                    assertThat(e).hasCause(cannot);
                });
    }

    @Test
    void aSingleContentTheEngineCannotLoadFailsItsStartWithTheEnginesAnswer() {
        RecoveryPlan plan = plan(1);
        plan.beginStart();
        plan.next(false, false);
        ContentUnavailableException cannot = new ContentUnavailableException("cannot load");
        assertThatThrownBy(() -> plan.failed(RecoveryPlan.Step.START, cannot, null, false)).isSameAs(cannot);
    }

    @Test
    void aStoppingSessionEndsItsStartAtTheFirstFailure() {
        RecoveryPlan plan = plan(1);
        plan.beginStart();
        plan.next(false, false);
        IOException reset = new IOException("reset");
        assertThatThrownBy(() -> plan.failed(RecoveryPlan.Step.START, reset, null, true)).isSameAs(reset);
    }
}
