package dev.aceproxy.jetty;

import dev.aceproxy.jetty.internal.AccessToken;
import dev.aceproxy.jetty.internal.HttpProblem;
import dev.aceproxy.jetty.internal.JsonResponses;
import dev.aceproxy.jetty.internal.QueryParameters;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Lets a request through only when it carries the access token, as {@code ?token=<token>} or
 * {@code Authorization: Bearer <token>}; otherwise answers {@code 401} with a JSON error body and
 * {@code WWW-Authenticate: Bearer}. The comparison takes constant time. Paths in the exempt set
 * (matched against the path inside the context) pass without a token. Thread-safe.
 */
public final class AccessTokenFilter extends HttpFilter {

    @Serial
    private static final long serialVersionUID = 1L;

    private static final String BEARER = "Bearer ";

    private final transient AccessToken token;
    private final transient Set<String> exemptPaths;

    /**
     * Creates the filter.
     *
     * @param token the token every request must carry
     * @param exemptPaths paths inside the context that need no token, such as {@code /healthz}
     * @throws IllegalArgumentException if the token is empty
     */
    public AccessTokenFilter(String token, Set<String> exemptPaths) {
        this.token = new AccessToken(token);
        this.exemptPaths = Set.copyOf(Objects.requireNonNull(exemptPaths, "exemptPaths"));
    }

    /**
     * Checks the token and passes the request on, or answers 401 (400 for a query that cannot be
     * read).
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
        String path = pathInContext(request);
        if (exemptPaths.contains(path)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            Optional<String> presented = presented(request);
            if (presented.isEmpty() || !token.matches(presented.get())) {
                throw HttpProblem.of(401, "unauthorized", presented.isEmpty()
                        ? "an access token is required: add ?token=<token> or the header Authorization: Bearer <token>"
                        : "the access token is wrong");
            }
        } catch (HttpProblem problem) {
            JsonResponses.sendError(response, problem);
            return;
        }
        chain.doFilter(request, response);
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
