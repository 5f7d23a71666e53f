package dev.aceproxy.jetty.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.eclipse.jetty.ee11.servlet.ServletChannel;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;

/**
 * Ends a client's connection abruptly, so that a player sees a broken stream rather than a clean
 * end, and a write blocked on that connection fails at once. Callable from any thread.
 */
public final class ConnectionAbort implements Runnable {

    private final ServletChannel channel;
    private final String reason;

    private ConnectionAbort(ServletChannel channel, String reason) {
        this.channel = channel;
        this.reason = reason;
    }

    /**
     * Returns the abort for a request's connection.
     *
     * @param request a request served by a Jetty ee11 servlet context
     * @param reason recorded as the failure's message
     * @return the abort
     * @throws IllegalStateException if the request is not a Jetty ee11 request
     */
    public static ConnectionAbort of(HttpServletRequest request, String reason) {
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(request);
        if (jettyRequest == null) {
            throw new IllegalStateException("not a Jetty ee11 request: " + request.getClass().getName());
        }
        return new ConnectionAbort(jettyRequest.getServletChannel(), reason);
    }

    /** Aborts the connection. */
    @Override
    public void run() {
        channel.abort(new IOException(reason));
    }
}
