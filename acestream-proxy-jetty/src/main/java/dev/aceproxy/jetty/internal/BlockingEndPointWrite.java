package dev.aceproxy.jetty.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * Writes buffers to a Jetty {@link EndPoint} and waits until they are all on the socket: one
 * reusable callback for one writer thread, one write at a time. A write the socket takes at once
 * completes on the writer's own thread without parking it; otherwise the writer parks until
 * Jetty's selector finds the socket writable again (the completion only unparks it, so it tells
 * Jetty it does not block and runs on the selector). Closing the end point fails a waiting write.
 */
final class BlockingEndPointWrite implements Callback {

    private static final int PENDING = 0;
    private static final int DONE = 1;
    private static final int FAILED = 2;

    private final EndPoint endPoint;
    private volatile int state = DONE;
    private volatile Throwable failure;
    private volatile Thread waiter;

    BlockingEndPointWrite(EndPoint endPoint) {
        this.endPoint = endPoint;
    }

    /**
     * Writes all remaining bytes of {@code buffers}, in order, and returns once they are written.
     *
     * @param buffers written as one gathering write where the socket allows
     * @throws InterruptedIOException if the thread is interrupted while it waits; the end point
     *     is then closed, since a write left half done cannot be resumed
     * @throws IOException if the write fails, the end point was closed or the peer is gone
     */
    void write(ByteBuffer... buffers) throws IOException {
        failure = null;
        waiter = Thread.currentThread();
        state = PENDING;
        endPoint.write(this, buffers);
        while (state == PENDING) {
            LockSupport.park(this);
            if (Thread.interrupted() && state == PENDING) {
                InterruptedIOException interrupted = new InterruptedIOException("interrupted while writing");
                endPoint.close(interrupted);
                Thread.currentThread().interrupt();
                throw interrupted;
            }
        }
        if (state == FAILED) {
            Throwable cause = failure;
            throw cause instanceof IOException io ? io : new IOException("write failed: " + cause, cause);
        }
    }

    @Override
    public void succeeded() {
        state = DONE;
        LockSupport.unpark(waiter);
    }

    @Override
    public void failed(Throwable cause) {
        failure = cause;
        state = FAILED;
        LockSupport.unpark(waiter);
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }
}
