package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.registry.EngineStatus;
import dev.aceproxy.registry.LimitReachedException;
import dev.aceproxy.registry.StreamRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;

/**
 * Maps a failure to start or join a stream to the answer a client gets, the same for every
 * endpoint that starts streams: 503 at a limit or with no reachable engine, 404 content the
 * engine cannot load, 504 an engine that did not answer in time, 502 any other engine failure.
 */
public final class EngineFailures {

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
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof LimitReachedException limit) {
            return HttpProblem.unavailable("limit_reached", detail, limit.retryAfter());
        }
        if (e instanceof ContentUnavailableException) {
            return HttpProblem.of(404, "content_unavailable", "the engine cannot load this content: " + detail);
        }
        if (e instanceof EngineUnavailableException) {
            if (unreachable(e) || registry.status().engines().stream().noneMatch(EngineStatus::healthy)) {
                return HttpProblem.unavailable("engine_unavailable", "no engine is available: " + detail,
                        unavailableRetryAfter);
            }
            return HttpProblem.of(502, "engine_failed", "the engine failed: " + detail);
        }
        if (e instanceof EngineTimeoutException) {
            return HttpProblem.of(504, "engine_timeout", "the engine did not answer in time: " + detail);
        }
        if (e instanceof EngineProtocolException) {
            return HttpProblem.of(502, "engine_protocol", "the engine answered something unexpected: " + detail);
        }
        return HttpProblem.of(502, "engine_failed", "the engine failed: " + detail);
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
