package dev.aceproxy.jetty.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code 503} at once, with {@code Retry-After} and a JSON body, when the server already
 * handles its maximum of requests, instead of letting the request wait for a thread until its
 * client gives up. {@code /healthz}, {@code /livez}, {@code /readyz} and {@code /metrics} have a
 * reserved lane of
 * {@value #RESERVED_LANE} requests beyond the maximum, so that a balancer's health checks and a
 * monitor's scrapes are answered at any load. Every player holds a request for its whole stream,
 * so the maximum is also a bound on players over HTTP. Thread-safe.
 */
public final class RequestAdmission extends Handler.Wrapper {

    /** Requests to the monitoring paths admitted beyond the maximum. */
    public static final int RESERVED_LANE = 32;

    private static final byte[] BODY = (JsonResponses.errorBody("over_capacity",
            "the server handles its maximum of requests; try again later").toString() + "\n")
            .getBytes(StandardCharsets.UTF_8);

    private final int maxRequests;
    private final String retryAfterSeconds;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger monitoring = new AtomicInteger();

    /**
     * Creates the admission.
     *
     * @param next the server's handler
     * @param maxRequests requests handled at once, at least 1
     * @param retryAfter the hint given with a refusal
     */
    public RequestAdmission(Handler next, int maxRequests, Duration retryAfter) {
        super(next);
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be at least 1");
        }
        this.maxRequests = maxRequests;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
    }

    /**
     * Returns the requests in progress, monitoring ones included.
     *
     * @return the count
     */
    public int inProgress() {
        return inProgress.get() + monitoring.get();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        boolean monitor = path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")
                || path.equals("/metrics");
        AtomicInteger lane = inProgress;
        if (inProgress.incrementAndGet() > maxRequests) {
            inProgress.decrementAndGet();
            if (!monitor || monitoring.incrementAndGet() > RESERVED_LANE) {
                if (monitor) {
                    monitoring.decrementAndGet();
                }
                refuse(response, callback);
                return true;
            }
            lane = monitoring;
        }
        AtomicInteger admitted = lane;
        boolean handled = false;
        try {
            handled = super.handle(request, response, Callback.from(callback, admitted::decrementAndGet));
            return handled;
        } finally {
            if (!handled) {
                admitted.decrementAndGet();
            }
        }
    }

    private void refuse(Response response, Callback callback) {
        response.setStatus(503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JsonResponses.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfterSeconds);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.length);
        response.write(true, ByteBuffer.wrap(BODY), callback);
    }
}
