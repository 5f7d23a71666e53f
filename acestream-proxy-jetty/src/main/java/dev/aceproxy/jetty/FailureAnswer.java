package dev.aceproxy.jetty;

import dev.aceproxy.engine.ChannelUnavailableException;
import dev.aceproxy.engine.ContentBusyException;
import dev.aceproxy.engine.ContentRedirectedException;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.engine.EngineUnreachableException;
import dev.aceproxy.engine.NoHealthyEngineException;
import dev.aceproxy.registry.DrainingException;
import dev.aceproxy.registry.LimitReachedException;
import dev.aceproxy.registry.ParametersConflictException;
import dev.aceproxy.registry.SubscriptionRefusedException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer a player gets when its stream cannot start: an HTTP status, a stable error code and a
 * message for the JSON body ({@code {"error": code, "message": text}}), and a {@code Retry-After}
 * for a 503.
 *
 * <p>{@link #standard} is the one mapping from a failure to its answer, used by
 * {@link StreamServlet} and {@link HlsServlet}. An embedder who wants other answers overrides
 * {@code StreamServlet.failureAnswer} or {@code HlsServlet.failureAnswer} and may fall back to
 * {@code standard}:
 *
 * <table>
 *   <caption>The standard answers</caption>
 *   <tr><th>failure</th><th>status</th><th>error</th></tr>
 *   <tr><td>{@link LimitReachedException}</td><td>503</td><td>{@code limit_reached}</td></tr>
 *   <tr><td>{@link DrainingException}</td><td>503</td><td>{@code draining}</td></tr>
 *   <tr><td>{@link ParametersConflictException}</td><td>409</td><td>{@code parameters_conflict}</td></tr>
 *   <tr><td>{@link ContentBusyException}</td><td>409</td><td>{@code content_busy}</td></tr>
 *   <tr><td>{@link ChannelUnavailableException}</td><td>502</td><td>{@code channel_unavailable}</td></tr>
 *   <tr><td>{@link ContentUnavailableException}, {@link ContentRedirectedException}</td><td>404</td>
 *       <td>{@code content_unavailable}</td></tr>
 *   <tr><td>{@link NoHealthyEngineException}, {@link EngineUnreachableException}</td><td>503</td>
 *       <td>{@code engine_unavailable}</td></tr>
 *   <tr><td>{@link EngineUnavailableException} (any other)</td><td>502</td><td>{@code engine_failed}</td></tr>
 *   <tr><td>{@link EngineTimeoutException}</td><td>504</td><td>{@code engine_timeout}</td></tr>
 *   <tr><td>{@link EngineProtocolException}</td><td>502</td><td>{@code engine_protocol}</td></tr>
 *   <tr><td>any other {@link IOException}</td><td>502</td><td>{@code engine_failed}</td></tr>
 * </table>
 *
 * <p>Bodies of engine failures name the problem only: an engine's own text can carry its internal
 * urls and session keys, so it goes to the log and never to a client. The registry's refusals
 * carry the registry's own text.
 *
 * @param status the HTTP status, 400 to 599
 * @param error the machine-readable error code
 * @param message what went wrong, for a person
 * @param retryAfter the {@code Retry-After} to send, if any
 */
public record FailureAnswer(int status, String error, String message, Optional<Duration> retryAfter) {

    private static final System.Logger LOG = System.getLogger(FailureAnswer.class.getName());

    /**
     * Checks the answer.
     *
     * @throws IllegalArgumentException if the status is not an HTTP error status
     * @throws NullPointerException if a component is null
     */
    public FailureAnswer {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an HTTP error status: " + status);
        }
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /**
     * An answer without {@code Retry-After}.
     *
     * @param status the HTTP status
     * @param error the error code
     * @param message the message
     * @return the answer
     */
    public static FailureAnswer of(int status, String error, String message) {
        return new FailureAnswer(status, error, message, Optional.empty());
    }

    /**
     * The standard answer to a failure to start or join a stream; see the table above.
     *
     * @param failure what {@code subscribe} threw
     * @param unavailableRetryAfter the {@code Retry-After} of a 503 for an unavailable engine
     * @return the answer
     */
    public static FailureAnswer standard(IOException failure, Duration unavailableRetryAfter) {
        Objects.requireNonNull(unavailableRetryAfter, "unavailableRetryAfter");
        if (failure instanceof SubscriptionRefusedException refused) {
            return refusal(refused);
        }
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        LOG.log(System.Logger.Level.INFO,
                "stream request failed (" + failure.getClass().getSimpleName() + "): " + detail);
        if (failure instanceof EngineException engine) {
            return engineFailure(engine, unavailableRetryAfter);
        }
        return of(502, "engine_failed", "the engine failed to start the stream");
    }

    private static FailureAnswer refusal(SubscriptionRefusedException refused) {
        return switch (refused) {
            case LimitReachedException limit ->
                    new FailureAnswer(503, "limit_reached", limit.getMessage(), Optional.of(limit.retryAfter()));
            case DrainingException draining ->
                    new FailureAnswer(503, "draining", draining.getMessage(), Optional.of(draining.retryAfter()));
            case ParametersConflictException conflict -> of(409, "parameters_conflict", conflict.getMessage());
        };
    }

    private static FailureAnswer engineFailure(EngineException failure, Duration unavailableRetryAfter) {
        return switch (failure) {
            case ChannelUnavailableException channel -> of(502, "channel_unavailable", "none of the channel's "
                    + channel.alternates() + " alternates could be loaded by the engine");
            case ContentBusyException busy ->
                    of(409, "content_busy", "another stream of this proxy plays this content");
            case ContentUnavailableException unavailable ->
                    of(404, "content_unavailable", "the engine cannot load this content");
            case NoHealthyEngineException none ->
                    new FailureAnswer(503, "engine_unavailable", "no engine is available",
                            Optional.of(unavailableRetryAfter));
            case EngineUnreachableException unreachable ->
                    new FailureAnswer(503, "engine_unavailable", "no engine is available",
                            Optional.of(unavailableRetryAfter));
            case EngineUnavailableException failed -> of(502, "engine_failed", "the engine failed to start the stream");
            case EngineTimeoutException timeout -> of(504, "engine_timeout", "the engine did not answer in time");
            case EngineProtocolException protocol ->
                    of(502, "engine_protocol", "the engine answered something unexpected");
        };
    }
}
