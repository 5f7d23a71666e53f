package dev.aceproxy.jetty;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the proxy's endpoints behave beyond what the registry decides. {@link #toString()} never
 * shows the access token.
 *
 * @param accessToken when present, every endpoint but {@code /healthz} requires it, as
 *     {@code ?token=} or {@code Authorization: Bearer}
 * @param unavailableRetryAfter the {@code Retry-After} of a 503 when no engine is healthy
 * @param healthTimeout how long {@code /healthz} waits for the engines' answers
 */
public record EndpointOptions(Optional<String> accessToken, Duration unavailableRetryAfter, Duration healthTimeout) {

    /** Default {@code Retry-After} when no engine is healthy. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    /** Default wait for the engines' health answers. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(3);
    /** No token, default delays. */
    public static final EndpointOptions DEFAULT =
            new EndpointOptions(Optional.empty(), DEFAULT_RETRY_AFTER, DEFAULT_HEALTH_TIMEOUT);

    /**
     * Validates.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the token is empty or a duration is not positive
     */
    public EndpointOptions {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(unavailableRetryAfter, "unavailableRetryAfter");
        Objects.requireNonNull(healthTimeout, "healthTimeout");
        if (accessToken.isPresent() && accessToken.get().isEmpty()) {
            throw new IllegalArgumentException("the access token must not be empty");
        }
        if (unavailableRetryAfter.isNegative() || unavailableRetryAfter.isZero()
                || healthTimeout.isNegative() || healthTimeout.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
    }

    /**
     * Returns these options with an access token.
     *
     * @param token the token
     * @return the new options
     * @throws IllegalArgumentException if the token is empty
     */
    public EndpointOptions withAccessToken(String token) {
        return new EndpointOptions(Optional.of(token), unavailableRetryAfter, healthTimeout);
    }

    /**
     * Describes the options without the token.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "EndpointOptions[accessToken=" + (accessToken.isPresent() ? "set" : "none")
                + ", unavailableRetryAfter=" + unavailableRetryAfter + ", healthTimeout=" + healthTimeout + "]";
    }
}
