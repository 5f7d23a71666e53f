package dev.aceproxy.jetty.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that does not deliver a complete request head in time: a connection must
 * have its request line and headers parsed within the timeout of being opened, or of the end of
 * its previous request. The connector's idle timeout alone cannot do this, since a client that
 * sends one byte now and then (slowloris) is never idle. While a request is being handled (a
 * stream lasts hours) no deadline runs.
 *
 * <p>Register it as a connection listener on the connector (a bean) and put {@link #wrap(Handler)}
 * in front of the server's handler. Thread-safe.
 */
public final class RequestHeadersDeadline implements Connection.Listener {

    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final Map<Connection, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicLong closed = new AtomicLong();

    /**
     * Creates the deadline.
     *
     * @param scheduler the connector's scheduler
     * @param timeout how long a connection may take to deliver a request head
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public RequestHeadersDeadline(Scheduler scheduler, Duration timeout) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the request headers timeout must be positive");
        }
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * Returns a handler that stops the deadline while a request is handled by {@code next}.
     *
     * @param next the server's handler
     * @return the wrapping handler
     */
    public Handler wrap(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Watch watch = watches.get(request.getConnectionMetaData().getConnection());
                if (watch == null) {
                    return super.handle(request, response, callback);
                }
                watch.requestStarted();
                boolean handled = false;
                try {
                    handled = super.handle(request, response, new Callback() {
                        @Override
                        public void succeeded() {
                            watch.requestEnded();
                            callback.succeeded();
                        }

                        @Override
                        public void failed(Throwable x) {
                            watch.requestEnded();
                            callback.failed(x);
                        }

                        @Override
                        public InvocationType getInvocationType() {
                            return callback.getInvocationType();
                        }
                    });
                    return handled;
                } finally {
                    if (!handled) {
                        watch.requestEnded();
                    }
                }
            }
        };
    }

    /**
     * Returns how many connections this deadline has closed.
     *
     * @return the count since creation
     */
    public long closedConnections() {
        return closed.get();
    }

    /** Starts the deadline of a new connection. */
    @Override
    public void onOpened(Connection connection) {
        Watch watch = new Watch(connection);
        watches.put(connection, watch);
        watch.arm();
    }

    /** Forgets a closed connection. */
    @Override
    public void onClosed(Connection connection) {
        Watch watch = watches.remove(connection);
        if (watch != null) {
            watch.disarm();
        }
    }

    /** One connection's deadline; its lock is held only to schedule or cancel, never for I/O. */
    private final class Watch {
        private final Connection connection;
        private int active;
        private Scheduler.Task task;

        Watch(Connection connection) {
            this.connection = connection;
        }

        synchronized void arm() {
            cancel();
            if (active == 0) {
                task = scheduler.schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }

        synchronized void disarm() {
            cancel();
        }

        synchronized void requestStarted() {
            active++;
            cancel();
        }

        void requestEnded() {
            synchronized (this) {
                active = Math.max(0, active - 1);
            }
            arm();
        }

        private void cancel() {
            if (task != null) {
                task.cancel();
                task = null;
            }
        }

        private void expire() {
            synchronized (this) {
                if (active > 0 || task == null) {
                    return;
                }
                task = null;
            }
            closed.incrementAndGet();
            connection.getEndPoint().close();
        }
    }
}
