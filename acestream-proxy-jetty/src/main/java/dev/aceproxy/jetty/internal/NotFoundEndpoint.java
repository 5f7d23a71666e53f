package dev.aceproxy.jetty.internal;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;

/** Every path the proxy does not serve: a JSON 404. */
public final class NotFoundEndpoint extends HttpServlet {

    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonResponses.sendError(response, HttpProblem.of(404, "not_found",
                "nothing here; the stream is at /ace/getstream?id=<content id>"));
    }
}
