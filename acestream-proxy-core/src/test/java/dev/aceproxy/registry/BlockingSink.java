package dev.aceproxy.registry;

import dev.aceproxy.fanout.ClientSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;

/** A client that never reads: its first write blocks until the sink is closed. */
final class BlockingSink implements ClientSink {

    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch writing = new CountDownLatch(1);

    @Override
    public void write(ByteBuffer packets) throws IOException {
        writing.countDown();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("sink closed");
    }

    @Override
    public void close() {
        closed.countDown();
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    CountDownLatch writing() {
        return writing;
    }
}
