package dev.aceproxy.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how fast the recovery ladder retries. Each rung (reconnect, new engine session,
 * failover) gets {@code maxAttempts} attempts, spaced by an exponential backoff with jitter; the
 * ladder starts again at its first rung once data has flowed for {@code resetAfter}.
 *
 * @param initialBackoff the wait before the first retry of a rung
 * @param multiplier how much each further wait grows; at least 1
 * @param maxBackoff the longest wait, jitter included
 * @param jitter the random spread of each wait as a fraction, 0 to 1 (0.2 = ±20 %)
 * @param maxAttempts attempts per rung; at least 1
 * @param resetAfter how long data must flow before the ladder starts over
 */
public record RetryPolicy(Duration initialBackoff, double multiplier, Duration maxBackoff, double jitter,
                          int maxAttempts, Duration resetAfter) {

    /** Default first wait: 500 ms. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    /** Default growth: × 2. */
    public static final double DEFAULT_MULTIPLIER = 2.0;
    /** Default longest wait: 8 s. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(8);
    /** Default jitter: ±20 %. */
    public static final double DEFAULT_JITTER = 0.2;
    /** Default attempts per rung: 5. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** Default stable period that resets the ladder: 30 s. */
    public static final Duration DEFAULT_RESET_AFTER = Duration.ofSeconds(30);

    /** All defaults: 0.5 s × 2 up to 8 s, ±20 %, 5 attempts per rung, reset after 30 s of data. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(DEFAULT_INITIAL_BACKOFF, DEFAULT_MULTIPLIER,
            DEFAULT_MAX_BACKOFF, DEFAULT_JITTER, DEFAULT_MAX_ATTEMPTS, DEFAULT_RESET_AFTER);

    /**
     * Validates.
     *
     * @throws NullPointerException if a duration is null
     * @throws IllegalArgumentException if a duration is negative, {@code maxBackoff} is shorter
     *     than {@code initialBackoff}, {@code resetAfter} is not positive, {@code multiplier} is
     *     below 1 or not finite, {@code jitter} is outside 0..1 or {@code maxAttempts} is below 1
     */
    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        SessionPolicy.positive(resetAfter, "resetAfter");
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative: " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is shorter than initialBackoff "
                    + initialBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
    }

    /**
     * The wait before the given attempt of a rung: {@code initialBackoff × multiplier^(attempt-1)},
     * capped at {@code maxBackoff}, then spread by ± {@code jitter} and capped again.
     *
     * @param attempt the attempt number, from 1
     * @param random the source of jitter
     * @return the wait, never negative and never above {@code maxBackoff}
     * @throws IllegalArgumentException if {@code attempt} is below 1
     * @throws NullPointerException if {@code random} is null
     */
    public Duration backoff(int attempt, RandomGenerator random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
        Objects.requireNonNull(random, "random");
        double cap = maxBackoff.toNanos();
        double base = Math.min(cap, initialBackoff.toNanos() * Math.pow(multiplier, attempt - 1));
        double spread = jitter == 0.0 ? 1.0 : 1.0 + jitter * (2.0 * random.nextDouble() - 1.0);
        long nanos = (long) Math.max(0.0, Math.min(cap, base * spread));
        return Duration.ofNanos(nanos);
    }
}
