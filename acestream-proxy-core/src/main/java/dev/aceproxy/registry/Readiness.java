package dev.aceproxy.registry;

/**
 * Whether a registry takes new sessions now, and how full it is: what a load balancer's readiness
 * check and an autoscaler need. A snapshot; see {@link StreamRegistry#readiness()}.
 *
 * @param draining whether {@link StreamRegistry#startDraining()} was called
 * @param shutdown whether {@link StreamRegistry#shutdown(java.time.Duration)} was called
 * @param enginesHealthy engines the pool counts as healthy (probed, or not refused since)
 * @param enginesTotal engines configured
 * @param sessions sessions running now (lingering ones included)
 * @param maxSessions {@link Limits#maxSessions()}; 0 when there is no limit
 */
public record Readiness(boolean draining, boolean shutdown, int enginesHealthy, int enginesTotal, int sessions,
                        int maxSessions) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public Readiness {
        if (enginesHealthy < 0 || enginesTotal < 0 || sessions < 0 || maxSessions < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /**
     * Whether a new session may start here: not draining, not shut down, and at least one healthy
     * engine. A session limit that is reached does not make the registry unready (a lingering
     * session makes room), it answers the one subscriber with {@link LimitReachedException}.
     *
     * @return whether the registry is ready
     */
    public boolean ready() {
        return !draining && !shutdown && enginesHealthy > 0;
    }

    /**
     * Why the registry is not ready, for a person.
     *
     * @return {@code "ready"}, {@code "shut down"}, {@code "draining"} or {@code "no healthy engine"}
     */
    public String reason() {
        if (shutdown) {
            return "shut down";
        }
        if (draining) {
            return "draining";
        }
        return enginesHealthy > 0 ? "ready" : "no healthy engine";
    }

    /**
     * Sessions in use over sessions allowed, for an autoscaler.
     *
     * @return a fraction (above 1 is impossible), or {@code NaN} when there is no session limit
     */
    public double capacity() {
        return maxSessions == 0 ? Double.NaN : (double) sessions / maxSessions;
    }
}
