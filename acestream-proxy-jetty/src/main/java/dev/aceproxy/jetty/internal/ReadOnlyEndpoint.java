package dev.aceproxy.jetty.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.util.HashSet;
import java.util.Set;

/**
 * An endpoint that only reads: {@code GET} and {@code HEAD}, a fixed set of query parameters, and
 * every problem answered as a JSON error.
 */
public abstract class ReadOnlyEndpoint extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Set<String> accepted;

    /**
     * Creates the endpoint.
     *
     * @param parameters the query parameters it understands ({@code token} is always accepted)
     */
    protected ReadOnlyEndpoint(Set<String> parameters) {
        Set<String> all = new HashSet<>(parameters);
        all.add("token");
        this.accepted = Set.copyOf(all);
    }

    /**
     * Checks method and parameters, then lets {@link #answer} respond.
     *
     * @param request the request
     * @param response the response
     * @throws IOException if the response cannot be written
     */
    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String method = request.getMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw HttpProblem.methodNotAllowed(method, "GET, HEAD");
            }
            QueryParameters query = QueryParameters.parse(request.getQueryString());
            query.requireOnly(accepted);
            query.opaque("token");
            answer(query, response);
        } catch (HttpProblem problem) {
            JsonResponses.sendError(response, problem);
        }
    }

    /**
     * Writes the answer.
     *
     * @param query the validated query
     * @param response the response
     * @throws IOException if the response cannot be written
     * @throws HttpProblem if the request cannot be answered
     */
    protected abstract void answer(QueryParameters query, HttpServletResponse response)
            throws IOException, HttpProblem;
}
