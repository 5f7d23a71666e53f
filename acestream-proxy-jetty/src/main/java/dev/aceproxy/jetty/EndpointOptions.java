package dev.aceproxy.jetty;

import java.net.IDN;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the proxy's endpoints behave beyond what the registry decides: who may use them, and the
 * delays they announce. {@link #toString()} never shows a token.
 *
 * <p>Access works by role. The <em>player</em> endpoints (streams, and every path that is not a
 * status or health path) need the {@code accessToken} when one is set. The <em>admin</em>
 * endpoints ({@code /api/...}, {@code /metrics}, {@code /ace/status}) need the {@code adminToken},
 * or the {@code accessToken} when no admin token is set; the admin token opens the player
 * endpoints too. {@code /healthz} never needs a token. An endpoint whose role has no token is
 * guarded against web pages instead: a request is refused with {@code 403} when its {@code Host}
 * is not a name the server listens as (loopback names, the bound address, {@code allowedHosts}),
 * when it carries {@code Sec-Fetch-Site: cross-site}, or when its {@code Origin} is foreign.
 *
 * @param accessToken the player token; when present, player endpoints require it, as
 *     {@code ?token=} or {@code Authorization: Bearer}
 * @param adminToken the admin token; when present, admin endpoints require it instead of the
 *     player token
 * @param allowedHosts host names (no port) that requests may address besides the loopback names
 *     and the address the server binds; lower case
 * @param unavailableRetryAfter the {@code Retry-After} of a 503 when no engine is healthy
 * @param healthTimeout how long {@code /healthz} waits for the engines' answers
 */
public record EndpointOptions(Optional<String> accessToken, Optional<String> adminToken, Set<String> allowedHosts,
                              Duration unavailableRetryAfter, Duration healthTimeout) {

    /** The shortest token accepted: shorter ones can be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** The longest token accepted. */
    public static final int MAX_TOKEN_LENGTH = 512;
    /** Default {@code Retry-After} when no engine is healthy. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    /** Default wait for the engines' health answers. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(3);
    /** No token, no extra host names, default delays. */
    public static final EndpointOptions DEFAULT = new EndpointOptions(Optional.empty(), Optional.empty(), Set.of(),
            DEFAULT_RETRY_AFTER, DEFAULT_HEALTH_TIMEOUT);

    /**
     * Validates, and normalises the host names.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a token is too short, too long or holds anything but
     *     visible ASCII, a host name is empty or holds a port, or a duration is not positive
     */
    public EndpointOptions {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(unavailableRetryAfter, "unavailableRetryAfter");
        Objects.requireNonNull(healthTimeout, "healthTimeout");
        accessToken.ifPresent(t -> checkToken(t, "access token"));
        adminToken.ifPresent(t -> checkToken(t, "admin token"));
        allowedHosts = normalisedHosts(Objects.requireNonNull(allowedHosts, "allowedHosts"));
        if (unavailableRetryAfter.isNegative() || unavailableRetryAfter.isZero()
                || healthTimeout.isNegative() || healthTimeout.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
    }

    /**
     * Returns these options with a player token.
     *
     * @param token the token: {@value #MIN_TOKEN_LENGTH} to {@value #MAX_TOKEN_LENGTH} visible
     *     ASCII characters
     * @return the new options
     * @throws IllegalArgumentException if the token is not acceptable
     */
    public EndpointOptions withAccessToken(String token) {
        return new EndpointOptions(Optional.of(token), adminToken, allowedHosts, unavailableRetryAfter, healthTimeout);
    }

    /**
     * Returns these options with an admin token for the status endpoints.
     *
     * @param token the token: {@value #MIN_TOKEN_LENGTH} to {@value #MAX_TOKEN_LENGTH} visible
     *     ASCII characters
     * @return the new options
     * @throws IllegalArgumentException if the token is not acceptable
     */
    public EndpointOptions withAdminToken(String token) {
        return new EndpointOptions(accessToken, Optional.of(token), allowedHosts, unavailableRetryAfter, healthTimeout);
    }

    /**
     * Returns these options with more host names that requests may address (for example the
     * name a reverse proxy or the LAN uses for this server).
     *
     * @param hosts host names or addresses, without ports
     * @return the new options
     * @throws IllegalArgumentException if a name is empty or holds a port
     */
    public EndpointOptions withAllowedHosts(Collection<String> hosts) {
        Set<String> all = new TreeSet<>(allowedHosts);
        all.addAll(normalisedHosts(hosts));
        return new EndpointOptions(accessToken, adminToken, all, unavailableRetryAfter, healthTimeout);
    }

    /**
     * Returns the token the admin endpoints require: the admin token, else the player token.
     *
     * @return the token, or empty when admin endpoints are guarded against web pages only
     */
    public Optional<String> effectiveAdminToken() {
        return adminToken.or(() -> accessToken);
    }

    /**
     * Describes the options without the tokens.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "EndpointOptions[accessToken=" + (accessToken.isPresent() ? "set" : "none")
                + ", adminToken=" + (adminToken.isPresent() ? "set" : "none")
                + ", allowedHosts=" + allowedHosts
                + ", unavailableRetryAfter=" + unavailableRetryAfter + ", healthTimeout=" + healthTimeout + "]";
    }

    private static void checkToken(String token, String what) {
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("the " + what + " must be at least " + MIN_TOKEN_LENGTH
                    + " characters long");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new IllegalArgumentException("the " + what + " must be at most " + MAX_TOKEN_LENGTH
                    + " characters long");
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the " + what + " may hold visible ASCII characters only");
        }
    }

    /**
     * Normalises host names the way requests are compared: lower case, no brackets around an IPv6
     * address, no trailing dot, international names in their ASCII form.
     *
     * @param hosts the names
     * @return the normalised, unmodifiable set
     * @throws IllegalArgumentException if a name is empty or holds a port
     */
    static Set<String> normalisedHosts(Collection<String> hosts) {
        Set<String> out = new TreeSet<>();
        for (String host : hosts) {
            String h = Objects.requireNonNull(host, "host").strip().toLowerCase(Locale.ROOT);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            } else if (h.indexOf(':') >= 0 && h.indexOf(':') == h.lastIndexOf(':')) {
                throw new IllegalArgumentException("allowed host '" + host + "' must not carry a port");
            }
            if (h.endsWith(".")) {
                h = h.substring(0, h.length() - 1);
            }
            if (h.isEmpty() || h.chars().anyMatch(c -> c <= 0x20 || c == '/' || c == '@')) {
                throw new IllegalArgumentException("allowed host '" + host + "' is not a host name");
            }
            out.add(h.indexOf(':') >= 0 ? h : IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(out);
    }
}
