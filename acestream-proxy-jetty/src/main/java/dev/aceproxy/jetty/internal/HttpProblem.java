package dev.aceproxy.jetty.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A request that ends in an HTTP error: the status, a stable machine-readable code, a message for
 * a person, and the headers some statuses need ({@code Retry-After}, {@code Allow}).
 */
public final class HttpProblem extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Optional<Duration> retryAfter;
    private final transient Optional<String> allow;

    private HttpProblem(int status, String code, String message, Optional<Duration> retryAfter,
                        Optional<String> allow) {
        super(message, null, false, false);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = retryAfter;
        this.allow = allow;
    }

    /**
     * A problem with the given status and code.
     *
     * @param status the HTTP status
     * @param code the error code for the JSON body
     * @param message what went wrong, for a person
     * @return the problem
     */
    public static HttpProblem of(int status, String code, String message) {
        return new HttpProblem(status, code, message, Optional.empty(), Optional.empty());
    }

    /**
     * A problem from the answer a servlet chose for a failure.
     *
     * @param answer the status, code, message and {@code Retry-After}
     * @return the problem
     */
    public static HttpProblem of(dev.aceproxy.jetty.FailureAnswer answer) {
        return new HttpProblem(answer.status(), answer.error(), answer.message(), answer.retryAfter(),
                Optional.empty());
    }

    /**
     * A 400: the request is wrong and retrying it unchanged will not help.
     *
     * @param code the error code
     * @param message what is wrong, for a person
     * @return the problem
     */
    public static HttpProblem badRequest(String code, String message) {
        return of(400, code, message);
    }

    /**
     * A 503 with {@code Retry-After}.
     *
     * @param code the error code
     * @param message what is wrong, for a person
     * @param retryAfter when to try again
     * @return the problem
     */
    public static HttpProblem unavailable(String code, String message, Duration retryAfter) {
        return new HttpProblem(503, code, message, Optional.of(retryAfter), Optional.empty());
    }

    /**
     * A 429 with {@code Retry-After}.
     *
     * @param code the error code
     * @param message what is wrong, for a person
     * @param retryAfter when to try again
     * @return the problem
     */
    public static HttpProblem tooManyRequests(String code, String message, Duration retryAfter) {
        return new HttpProblem(429, code, message, Optional.of(retryAfter), Optional.empty());
    }

    /**
     * A 405 with {@code Allow}.
     *
     * @param method the refused method
     * @param allow the allowed methods, comma-separated
     * @return the problem
     */
    public static HttpProblem methodNotAllowed(String method, String allow) {
        return new HttpProblem(405, "method_not_allowed", "method " + method + " is not allowed here; use " + allow,
                Optional.empty(), Optional.of(allow));
    }

    /**
     * Returns the HTTP status.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * Returns the machine-readable error code.
     *
     * @return the code
     */
    public String code() {
        return code;
    }

    /**
     * Returns the delay for {@code Retry-After}, if the status calls for one.
     *
     * @return the delay
     */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /**
     * Returns the value for {@code Allow}, if the status calls for one.
     *
     * @return the allowed methods
     */
    public Optional<String> allow() {
        return allow;
    }
}
