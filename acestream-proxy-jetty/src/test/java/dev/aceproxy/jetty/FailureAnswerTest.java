package dev.aceproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.engine.ChannelUnavailableException;
import dev.aceproxy.engine.ContentBusyException;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.engine.EngineUnreachableException;
import dev.aceproxy.engine.NoHealthyEngineException;
import dev.aceproxy.registry.DrainingException;
import dev.aceproxy.registry.LimitReachedException;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The one mapping from a failure to the answer a player gets. */
class FailureAnswerTest {

    private static final Duration RETRY = Duration.ofSeconds(7);
    /** Text an engine could put in its answers: it must never reach a client. */
    private static final String ENGINE_TEXT = "http://10.0.0.5:6878/ace/r/secretkey";

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new ContentUnavailableException("cannot load " + ENGINE_TEXT), 404, "content_unavailable"),
                Arguments.of(new ContentBusyException("busy " + ENGINE_TEXT), 409, "content_busy"),
                Arguments.of(new ChannelUnavailableException(3, new ContentUnavailableException("last " + ENGINE_TEXT)),
                        502, "channel_unavailable"),
                Arguments.of(new NoHealthyEngineException("none " + ENGINE_TEXT, null), 503, "engine_unavailable"),
                Arguments.of(new EngineUnreachableException("refused " + ENGINE_TEXT, new ConnectException()), 503,
                        "engine_unavailable"),
                Arguments.of(new EngineUnavailableException("HTTP 500 " + ENGINE_TEXT), 502, "engine_failed"),
                Arguments.of(new EngineTimeoutException("slow " + ENGINE_TEXT, null, null), 504, "engine_timeout"),
                Arguments.of(new EngineProtocolException("nonsense " + ENGINE_TEXT, null, null), 502, "engine_protocol"),
                Arguments.of(new IOException("other " + ENGINE_TEXT), 502, "engine_failed"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void everyEngineFailureHasItsAnswerAndNoneCarriesTheEngineText(IOException failure, int status, String error) {
        FailureAnswer answer = FailureAnswer.standard(failure, RETRY);
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.error()).isEqualTo(error);
        assertThat(answer.message()).doesNotContain("10.0.0.5").doesNotContain("secretkey");
        assertThat(answer.retryAfter()).isEqualTo(status == 503 ? Optional.of(RETRY) : Optional.empty());
    }

    @Test
    void theRegistrysRefusalsCarryItsOwnTextAndRetryAfter() {
        FailureAnswer limit = FailureAnswer.standard(new LimitReachedException(LimitReachedException.Limit.CLIENTS,
                Duration.ofSeconds(3), "the registry serves its maximum of 8 clients"), RETRY);
        assertThat(limit).isEqualTo(new FailureAnswer(503, "limit_reached",
                "the registry serves its maximum of 8 clients", Optional.of(Duration.ofSeconds(3))));
        FailureAnswer draining = FailureAnswer.standard(new DrainingException(Duration.ofSeconds(4), "draining now"),
                RETRY);
        assertThat(draining).isEqualTo(new FailureAnswer(503, "draining", "draining now",
                Optional.of(Duration.ofSeconds(4))));
    }

    @Test
    void anAnswerIsAnErrorStatus() {
        assertThatThrownBy(() -> FailureAnswer.of(200, "ok", "fine")).isInstanceOf(IllegalArgumentException.class);
    }
}
