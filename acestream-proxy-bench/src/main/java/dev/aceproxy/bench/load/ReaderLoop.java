package dev.aceproxy.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread that connects, sends requests and reads responses for many connections.
 * Fast readers drain their sockets into one large direct buffer that is reused for every read and
 * never copied (bytes are counted, not kept). Stuck readers are not selected for reading: every
 * trickle interval the loop reads a few bytes from each of them.
 */
final class ReaderLoop implements AutoCloseable {

    /** Reads per readiness event before moving on, so one busy socket cannot starve the others. */
    private static final int READS_PER_EVENT = 4;

    private final InetSocketAddress server;
    private final Selector selector;
    private final ByteBuffer buffer;
    private final ByteBuffer trickle;
    private final long trickleIntervalNanos;
    private final Queue<StreamConnection> incoming = new ConcurrentLinkedQueue<>();
    private final Queue<StreamConnection> released = new ConcurrentLinkedQueue<>();
    private final List<StreamConnection> stuck = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private long nextTrickleNanos;

    ReaderLoop(String name, InetSocketAddress server, int bufferBytes, int trickleBytes, long trickleIntervalNanos)
            throws IOException {
        this.server = server;
        this.selector = Selector.open();
        this.buffer = ByteBuffer.allocateDirect(bufferBytes);
        this.trickle = ByteBuffer.allocate(trickleBytes);
        this.trickleIntervalNanos = trickleIntervalNanos;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        this.thread.start();
    }

    /** Hands a connection to this loop, which connects it on its own thread. */
    void open(StreamConnection c) {
        incoming.add(c);
        selector.wakeup();
    }

    /** Makes a stuck connection read as fast as it can from now on (to drain it). */
    void release(StreamConnection c) {
        released.add(c);
        selector.wakeup();
    }

    private void run() {
        nextTrickleNanos = System.nanoTime() + trickleIntervalNanos;
        try {
            while (running) {
                selector.select(100);
                StreamConnection c;
                while ((c = incoming.poll()) != null) {
                    connect(c);
                }
                while ((c = released.poll()) != null) {
                    stuck.remove(c);
                    SelectionKey key = c.channel() == null ? null : c.channel().keyFor(selector);
                    if (key != null && key.isValid()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key);
                }
                long now = System.nanoTime();
                if (now - nextTrickleNanos >= 0) {
                    trickleStuck();
                    nextTrickleNanos = now + trickleIntervalNanos;
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                System.err.println("load: reader loop " + thread.getName() + " failed: " + e);
            }
        }
    }

    private void connect(StreamConnection c) {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (c.receiveBufferBytes() > 0) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, c.receiveBufferBytes());
            }
            c.started(ch, System.nanoTime());
            if (c.outcome() != StreamConnection.Outcome.OPEN) {
                ch.close();
                return;
            }
            if (ch.connect(server)) {
                sendRequest(c, ch.register(selector, 0, c));
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            c.fail("connect: " + e);
        }
    }

    private void handle(SelectionKey key) {
        StreamConnection c = (StreamConnection) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                ch.finishConnect();
                sendRequest(c, key);
            } else if (key.isWritable()) {
                sendRequest(c, key);
            } else if (key.isReadable()) {
                read(c, ch);
            }
        } catch (IOException e) {
            c.fail(e.toString());
            key.cancel();
        }
    }

    private void sendRequest(StreamConnection c, SelectionKey key) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        ch.write(c.request());
        if (c.request().hasRemaining()) {
            key.interestOps(SelectionKey.OP_WRITE);
        } else if (c.role() == ClientRole.STUCK) {
            key.interestOps(0);
            stuck.add(c);
        } else {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void read(StreamConnection c, SocketChannel ch) throws IOException {
        for (int i = 0; i < READS_PER_EVENT; i++) {
            buffer.clear();
            int n = ch.read(buffer);
            if (n < 0) {
                c.end(StreamConnection.Outcome.ENDED_BY_SERVER, "EOF");
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            if (!c.accept(buffer)) {
                return;
            }
            if (n < buffer.capacity()) {
                return; // drained for now
            }
        }
    }

    private void trickleStuck() {
        Iterator<StreamConnection> it = stuck.iterator();
        while (it.hasNext()) {
            StreamConnection c = it.next();
            if (c.outcome() != StreamConnection.Outcome.OPEN) {
                it.remove();
                continue;
            }
            try {
                trickle.clear();
                int n = c.channel().read(trickle);
                if (n < 0) {
                    c.end(StreamConnection.Outcome.ENDED_BY_SERVER, "EOF");
                } else if (n > 0) {
                    trickle.flip();
                    c.accept(trickle);
                }
            } catch (IOException e) {
                c.fail(e.toString());
            }
            if (c.outcome() != StreamConnection.Outcome.OPEN) {
                it.remove();
            }
        }
    }

    /** Stops the thread and closes the selector; the connections are closed by their owner. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(5_000);
        try {
            selector.close();
        } catch (IOException ignored) {
            // the selector is being discarded
        }
    }
}
