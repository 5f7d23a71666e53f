package dev.aceproxy.jetty.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * Notices that a client left while its request waits for something that does not write to it (a
 * stream's start, which can take the engine tens of seconds). Nothing is written to the client
 * then, so a write cannot fail; instead its socket is read without blocking, every
 * {@link #POLL}: end of stream or an error means the client has gone. A player sends nothing after
 * a stream request, so nothing is taken from it; bytes a client does send while its stream starts
 * (a pipelined request) are read and dropped.
 */
public final class ClientPresence {

    /** How often the socket is looked at while the request waits. */
    public static final Duration POLL = Duration.ofMillis(250);

    private final SocketChannel channel;

    private ClientPresence(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Returns the presence check for a request's connection.
     *
     * @param request a request served by a Jetty ee11 servlet context
     * @return the check; one that never reports a departure when the connection is not a plain
     *     socket (for example in a test container)
     */
    public static ClientPresence of(HttpServletRequest request) {
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(request);
        EndPoint endPoint = jettyRequest == null ? null
                : jettyRequest.getConnectionMetaData().getConnection().getEndPoint();
        return new ClientPresence(endPoint instanceof SocketChannelEndPoint socket ? socket.getChannel() : null);
    }

    /**
     * Tells whether the client has gone: its end of the connection is closed or broken.
     *
     * @return true once it has gone
     */
    public boolean gone() {
        if (channel == null) {
            return false;
        }
        if (!channel.isOpen()) {
            return true;
        }
        try {
            ByteBuffer one = ByteBuffer.allocate(1);
            // The channel is in non-blocking mode (Jetty's selector owns it): this never waits.
            return channel.read(one) < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Runs {@code waiting} on the calling thread and interrupts it if the client leaves meanwhile;
     * a virtual thread looks at the socket every {@link #POLL} until {@code waiting} returns.
     *
     * @param <T> what {@code waiting} returns
     * @param waiting the wait, which must end with an {@link InterruptedException} when
     *     interrupted
     * @return what {@code waiting} returned
     * @throws ClientGoneException if the client left during the wait (the interrupt is consumed)
     * @throws Exception whatever {@code waiting} throws otherwise
     */
    public <T> T interruptWhenGone(Waiting<T> waiting) throws Exception {
        Thread caller = Thread.currentThread();
        AtomicBoolean waitingNow = new AtomicBoolean(true);
        Thread watch = Thread.ofVirtual().name("aceproxy-presence").start(() -> {
            while (waitingNow.get()) {
                if (gone()) {
                    if (waitingNow.compareAndSet(true, false)) {
                        caller.interrupt();
                    }
                    return;
                }
                try {
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            T result = waiting.call();
            if (!waitingNow.compareAndSet(true, false)) {
                // The client left just as the wait ended: the interrupt is for us, not for later.
                Thread.interrupted();
                throw new ClientGoneException(result);
            }
            return result;
        } catch (InterruptedException e) {
            if (!waitingNow.compareAndSet(true, false)) {
                Thread.interrupted();
                throw new ClientGoneException(null);
            }
            throw e;
        } finally {
            waitingNow.set(false);
            watch.interrupt();
        }
    }

    /**
     * A wait that can be interrupted.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface Waiting<T> {
        /**
         * Waits.
         *
         * @return the result
         * @throws Exception if the wait fails or is interrupted
         */
        T call() throws Exception;
    }

    /** The client left while its request waited. */
    public static final class ClientGoneException extends Exception {

        private static final long serialVersionUID = 1L;

        private final transient Object result;

        ClientGoneException(Object result) {
            super("the client left while its request waited", null, false, false);
            this.result = result;
        }

        /**
         * Returns what the wait produced when it ended just as the client left, for the caller
         * to close; null when the wait was interrupted.
         *
         * @return the result, or null
         */
        public Object result() {
            return result;
        }
    }
}
