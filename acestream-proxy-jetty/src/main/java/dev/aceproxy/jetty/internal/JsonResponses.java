package dev.aceproxy.jetty.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes JSON bodies, and error bodies of the form
 * {@code {"error": "<code>", "message": "<for a person>"}}, onto servlet responses.
 */
public final class JsonResponses {

    /** The content type of every JSON body. */
    public static final String CONTENT_TYPE = "application/json;charset=utf-8";

    private JsonResponses() {
    }

    /**
     * Writes a JSON document with the given status.
     *
     * @param response the response, not yet committed
     * @param status the HTTP status
     * @param json the document
     * @throws IOException if the client cannot be written to
     */
    public static void send(HttpServletResponse response, int status, JsonWriter json) throws IOException {
        byte[] body = (json.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * Writes an error body for the problem, with its headers, replacing anything buffered. Does
     * nothing when the response is already committed: a stream must never carry anything but its
     * own bytes.
     *
     * @param response the response
     * @param problem what went wrong
     * @return true if the error was written, false if the response was already committed
     * @throws IOException if the client cannot be written to
     */
    public static boolean sendError(HttpServletResponse response, HttpProblem problem) throws IOException {
        if (response.isCommitted()) {
            return false;
        }
        response.reset();
        problem.retryAfter().ifPresent(d -> response.setHeader("Retry-After", Long.toString(seconds(d))));
        problem.allow().ifPresent(a -> response.setHeader("Allow", a));
        if (problem.status() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        send(response, problem.status(), errorBody(problem.code(), problem.getMessage()));
        return true;
    }

    /**
     * Builds the error document.
     *
     * @param code the machine-readable code
     * @param message the text for a person
     * @return the document
     */
    public static JsonWriter errorBody(String code, String message) {
        return new JsonWriter().beginObject().name("error").value(code).name("message").value(message).endObject();
    }

    private static long seconds(Duration d) {
        long s = d.toSeconds();
        return d.toNanosPart() > 0 || s == 0 ? s + 1 : s;
    }
}
