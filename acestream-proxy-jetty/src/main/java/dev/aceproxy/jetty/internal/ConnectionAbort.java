package dev.aceproxy.jetty.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.eclipse.jetty.ee11.servlet.ServletChannel;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * Ends a client's connection abruptly, so that a player sees a broken stream rather than a clean
 * end, and a write blocked on that connection fails at once. Callable from any thread.
 */
public final class ConnectionAbort implements Runnable {

    private final ServletChannel channel;
    private final EndPoint endPoint;
    private final String reason;

    private ConnectionAbort(ServletChannel channel, EndPoint endPoint, String reason) {
        this.channel = channel;
        this.endPoint = endPoint;
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
        return new ConnectionAbort(jettyRequest.getServletChannel(),
                jettyRequest.getConnectionMetaData().getConnection().getEndPoint(), reason);
    }

    /**
     * Aborts the connection: the response is marked failed, and the connection's end point is
     * closed, which fails a write blocked on it at once (failing the channel alone would wait
     * for the servlet to return, and a blocked write would wait for the idle timeout).
     */
    @Override
    public void run() {
        IOException failure = new IOException(reason);
        channel.abort(failure);
        endPoint.close(failure);
    }
}
