package dev.aceproxy.bench.micro;

import dev.aceproxy.fanout.ClientSink;
import java.nio.ByteBuffer;

/**
 * A client that accepts every byte at once and keeps none, so a fan-out benchmark measures the
 * fan-out's own cost; it only reports how much it was given to a shared {@link Delivery}.
 */
final class DiscardingSink implements ClientSink {

    private final Delivery delivery;

    DiscardingSink(Delivery delivery) {
        this.delivery = delivery;
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
