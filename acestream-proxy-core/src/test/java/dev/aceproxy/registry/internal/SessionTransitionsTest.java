package dev.aceproxy.registry.internal;

import static dev.aceproxy.registry.SessionState.FAILED;
import static dev.aceproxy.registry.SessionState.LINGERING;
import static dev.aceproxy.registry.SessionState.RECOVERING;
import static dev.aceproxy.registry.SessionState.STARTING;
import static dev.aceproxy.registry.SessionState.STOPPED;
import static dev.aceproxy.registry.SessionState.STREAMING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.registry.SessionState;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SessionTransitionsTest {

    /** The lifecycle as documented in docs/registry.md, written out independently of the table. */
    private static final Map<SessionState, Set<SessionState>> EXPECTED = Map.of(
            STARTING, EnumSet.of(STREAMING, LINGERING, FAILED, STOPPED),
            STREAMING, EnumSet.of(RECOVERING, LINGERING, STOPPED),
            RECOVERING, EnumSet.of(STREAMING, LINGERING, FAILED, STOPPED),
            LINGERING, EnumSet.of(STREAMING, RECOVERING, FAILED, STOPPED),
            STOPPED, EnumSet.noneOf(SessionState.class),
            FAILED, EnumSet.noneOf(SessionState.class));

    @ParameterizedTest
    @EnumSource(SessionState.class)
    void everyPairIsAllowedExactlyWhenTheLifecycleSaysSo(SessionState from) {
        for (SessionState to : SessionState.values()) {
            boolean expected = EXPECTED.get(from).contains(to);
            assertThat(SessionTransitions.allowed(from, to)).as(from + " -> " + to).isEqualTo(expected);
            if (expected) {
                assertThat(SessionTransitions.transition(from, to)).isEqualTo(to);
            } else {
                assertThatThrownBy(() -> SessionTransitions.transition(from, to))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("session cannot go from " + from + " to " + to);
            }
        }
        assertThat(SessionTransitions.next(from)).isEqualTo(EXPECTED.get(from));
    }

    @Test
    void terminalStatesGoNowhereAndNoStateReturnsToStarting() {
        assertThat(SessionTransitions.next(STOPPED)).isEmpty();
        assertThat(SessionTransitions.next(FAILED)).isEmpty();
        assertThat(STOPPED.isTerminal()).isTrue();
        assertThat(FAILED.isTerminal()).isTrue();
        for (SessionState s : SessionState.values()) {
            assertThat(SessionTransitions.allowed(s, STARTING)).isFalse();
            assertThat(SessionTransitions.allowed(s, s)).isFalse();
        }
        assertThatThrownBy(() -> SessionTransitions.next(STREAMING).add(FAILED))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
