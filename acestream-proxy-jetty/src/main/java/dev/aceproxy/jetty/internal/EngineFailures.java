package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.registry.DrainingException;
import dev.aceproxy.registry.ParametersConflictException;
import dev.aceproxy.registry.LimitReachedException;
import dev.aceproxy.registry.StreamRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;

/**
 * Maps a failure to start or join a stream to the answer a client gets, the same for every
 * endpoint that starts streams: 503 at a limit or with no reachable engine, 404 content the
 * engine cannot load, 409 a content that plays with other engine parameters, 504 an engine that
 * did not answer in time, 502 any other engine failure.
 * The bodies name the problem without the engine's text (its urls and session keys); the log has
 * the detail.
 */
public final class EngineFailures {

    private static final System.Logger LOG = System.getLogger(EngineFailures.class.getName());

    private EngineFailures() {
    }

    /**
     * The problem for a failure to subscribe.
     *
     * @param e the failure
     * @param registry the registry, asked whether any engine is healthy
     * @param unavailableRetryAfter the {@code Retry-After} of a 503 when no engine is healthy
     * @return the problem to answer
     */
    public static HttpProblem problem(IOException e, StreamRegistry registry, Duration unavailableRetryAfter) {
        if (e instanceof LimitReachedException limit) {
            // The registry's own text, naming the limit: nothing of the engine's.
            return HttpProblem.unavailable("limit_reached", limit.getMessage(), limit.retryAfter());
        }
        if (e instanceof ParametersConflictException conflict) {
            // The registry's own text: the running session's parameters, from the allow-list.
            return HttpProblem.of(409, "parameters_conflict", conflict.getMessage());
        }
        if (e instanceof DrainingException draining) {
            // The proxy's own text: a balancer moves the player to another instance.
            return HttpProblem.unavailable("draining", draining.getMessage(), draining.retryAfter());
        }
        // An engine's message can carry its internal urls and session keys: it goes to the log,
        // and the body names the problem only.
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        LOG.log(System.Logger.Level.INFO, "stream request failed (" + e.getClass().getSimpleName() + "): " + detail);
        if (e instanceof ContentUnavailableException) {
            return HttpProblem.of(404, "content_unavailable", "the engine cannot load this content");
        }
        if (e instanceof EngineUnavailableException) {
            // Unreachable engines make the proxy unavailable; an engine that answers with an
            // error has failed this request.
            if (unreachable(e) || registry.readiness().enginesHealthy() == 0) {
                return HttpProblem.unavailable("engine_unavailable", "no engine is available", unavailableRetryAfter);
            }
            return HttpProblem.of(502, "engine_failed", "the engine failed to start the stream");
        }
        if (e instanceof EngineTimeoutException) {
            return HttpProblem.of(504, "engine_timeout", "the engine did not answer in time");
        }
        if (e instanceof EngineProtocolException) {
            return HttpProblem.of(502, "engine_protocol", "the engine answered something unexpected");
        }
        return HttpProblem.of(502, "engine_failed", "the engine failed to start the stream");
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
