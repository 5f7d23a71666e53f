package dev.aceproxy.jetty.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Set;

/**
 * One file of the status page ({@code /}, its script and its style sheet), read once from the
 * jar. The files hold no data: the script fetches {@code api/v1/streams} itself, with the token
 * the user gives it. Each answer forbids what the page does not need: a
 * {@code Content-Security-Policy} that allows only this server's own script, style and
 * {@code fetch} (no inline script, no frames, no forms posted anywhere), and
 * {@code X-Content-Type-Options: nosniff}.
 */
public final class StatusPageEndpoint extends ReadOnlyEndpoint {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The policy every file of the page is served with. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final transient byte[] body;
    private final String contentType;

    private StatusPageEndpoint(byte[] body, String contentType) {
        super(Set.of());
        this.body = body;
        this.contentType = contentType;
    }

    /**
     * The page itself.
     *
     * @return the endpoint
     */
    public static StatusPageEndpoint page() {
        return new StatusPageEndpoint(read("index.html"), "text/html;charset=utf-8");
    }

    /**
     * The page's script.
     *
     * @return the endpoint
     */
    public static StatusPageEndpoint script() {
        return new StatusPageEndpoint(read("app.js"), "text/javascript;charset=utf-8");
    }

    /**
     * The page's style sheet.
     *
     * @return the endpoint
     */
    public static StatusPageEndpoint style() {
        return new StatusPageEndpoint(read("app.css"), "text/css;charset=utf-8");
    }

    @Override
    protected void answer(QueryParameters query, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static byte[] read(String name) {
        try (InputStream in = StatusPageEndpoint.class.getResourceAsStream("status/" + name)) {
            return Objects.requireNonNull(in, "status page file missing from the jar: " + name).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page's " + name, e);
        }
    }
}
