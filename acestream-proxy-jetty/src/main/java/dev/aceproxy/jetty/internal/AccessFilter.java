package dev.aceproxy.jetty.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides who may use each endpoint, by its {@link EndpointRole}. A role with a token lets a
 * request through only when it carries that token, as {@code ?token=<token>} or
 * {@code Authorization: Bearer <token>}, and otherwise answers {@code 401} (slowed down per
 * address by {@link AuthFailureThrottle}, or {@code 429} when too many answers wait). A role
 * without a token is guarded against web pages by {@link HostGuard} ({@code 403}). The admin token
 * also opens the player endpoints. Token comparisons take constant time. Thread-safe.
 */
public final class AccessFilter extends HttpFilter {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final String BEARER = "Bearer ";

    private final transient Optional<AccessToken> playerToken;
    private final transient Optional<AccessToken> adminToken;
    private final transient HostGuard hostGuard;
    private final transient AuthFailureThrottle throttle;

    /**
     * Creates the filter.
     *
     * @param playerToken the token player endpoints need, if any
     * @param adminToken the token admin endpoints need, if any (already defaulted to the player
     *     token by the caller when that is wanted)
     * @param hostGuard the guard for endpoints whose role has no token
     * @param throttle the failure throttle, shared by every endpoint of the server
     */
    public AccessFilter(Optional<String> playerToken, Optional<String> adminToken, HostGuard hostGuard,
                        AuthFailureThrottle throttle) {
        this.playerToken = playerToken.map(AccessToken::new);
        this.adminToken = adminToken.map(AccessToken::new);
        this.hostGuard = hostGuard;
        this.throttle = throttle;
    }

    /**
     * Checks the request against its endpoint's role and passes it on, or answers with a JSON
     * error: 400 for a query that cannot be read, 401 for a missing or wrong token, 403 for a
     * refused web page, 429 while too many of an address's 401s wait.
     *
     * @param request the request
     * @param response the response
     * @param chain the rest of the chain
     * @throws IOException if the response cannot be written
     * @throws ServletException if the rest of the chain fails
     */
    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        EndpointRole role = EndpointRole.of(pathInContext(request));
        if (role == EndpointRole.OPEN) {
            chain.doFilter(request, response);
            return;
        }
        Optional<AccessToken> required = role == EndpointRole.ADMIN ? adminToken : playerToken;
        try {
            if (required.isEmpty()) {
                Optional<HttpProblem> refused = hostGuard.check(request);
                if (refused.isPresent()) {
                    throw refused.get();
                }
            } else {
                Optional<String> presented = presented(request);
                if (presented.isPresent() && accepts(role, required.get(), presented.get())) {
                    throttle.succeeded(request.getRemoteAddr());
                } else {
                    refuse(request, presented.isEmpty());
                }
            }
        } catch (HttpProblem problem) {
            JsonResponses.sendError(response, problem);
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean accepts(EndpointRole role, AccessToken required, String presented) {
        boolean match = required.matches(presented);
        if (role == EndpointRole.PLAYER && adminToken.isPresent()) {
            match |= adminToken.get().matches(presented);
        }
        return match;
    }

    private void refuse(HttpServletRequest request, boolean missing) throws HttpProblem {
        String address = request.getRemoteAddr();
        AuthFailureThrottle.Verdict verdict = throttle.failed(address);
        if (verdict instanceof AuthFailureThrottle.Refuse refuse) {
            throw HttpProblem.tooManyRequests("too_many_attempts",
                    "too many requests with a wrong access token from this address; try again later",
                    refuse.retryAfter());
        }
        Duration delay = ((AuthFailureThrottle.Wait) verdict).delay();
        try {
            if (!delay.isZero()) {
                Thread.sleep(delay);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            throttle.waited(address);
        }
        throw HttpProblem.of(401, "unauthorized", missing
                ? "an access token is required: add ?token=<token> or the header Authorization: Bearer <token>"
                : "the access token is wrong");
    }

    private static Optional<String> presented(HttpServletRequest request) throws HttpProblem {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(authorization.substring(BEARER.length()).strip());
        }
        return QueryParameters.parse(request.getQueryString()).single("token");
    }

    private static String pathInContext(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        return servletPath + pathInfo;
    }
}
