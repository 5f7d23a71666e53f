package dev.aceproxy.bench.micro;

import dev.aceproxy.fanout.ClientSink;
import java.nio.ByteBuffer;

/**
 * A client that accepts every byte at once and keeps none, so a fan-out benchmark measures the
 * fan-out's own cost; it only reports how much it was given to a shared {@link Delivery}. With
 * {@code withoutBlocking} it offers {@link #tryWrite} too, as a socket with room to spare, so the
 * fan-out hands chunks out to it instead of waking its writer.
 */
final class DiscardingSink implements ClientSink {

    private final Delivery delivery;
    private final boolean withoutBlocking;

    DiscardingSink(Delivery delivery, boolean withoutBlocking) {
        this.delivery = delivery;
        this.withoutBlocking = withoutBlocking;
    }

    @Override
    public boolean writesWithoutBlocking() {
        return withoutBlocking;
    }

    @Override
    public boolean tryWrite(ByteBuffer packets) {
        delivery.delivered(packets.remaining());
        packets.position(packets.limit());
        return true;
    }

    @Override
    public void write(ByteBuffer packets) {
        delivery.delivered(packets.remaining());
    }

    @Override
    public void close() {
        // nothing to release
    }
}
