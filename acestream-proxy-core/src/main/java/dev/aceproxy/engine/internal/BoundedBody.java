package dev.aceproxy.engine.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a fixed number of bytes. A longer body either fails with
 * {@link TooLarge} (answers that must be complete) or is cut at the bound (error texts, where the
 * start is enough); either way the exchange is cancelled instead of reading the rest. The engine's
 * answers are untrusted, so no body is read without such a bound.
 */
public final class BoundedBody implements BodySubscriber<byte[]> {

    private final int maxBytes;
    private final boolean truncate;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    private BoundedBody(int maxBytes, boolean truncate) {
        this.maxBytes = maxBytes;
        this.truncate = truncate;
    }

    /** A body that must arrive whole: a longer one fails with {@link TooLarge}. */
    public static BoundedBody complete(int maxBytes) {
        return new BoundedBody(maxBytes, false);
    }

    /** A body of which the first {@code maxBytes} are enough: the rest is not read. */
    public static BoundedBody prefix(int maxBytes) {
        return new BoundedBody(maxBytes, true);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            int n = buffer.remaining();
            if (collected.size() + (long) n > maxBytes) {
                subscription.cancel();
                if (truncate) {
                    byte[] head = new byte[maxBytes - collected.size()];
                    buffer.get(head);
                    collected.write(head, 0, head.length);
                    result.complete(collected.toByteArray());
                } else {
                    result.completeExceptionally(new TooLarge(maxBytes));
                }
                return;
            }
            byte[] bytes = new byte[n];
            buffer.get(bytes);
            collected.write(bytes, 0, n);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(collected.toByteArray());
    }

    /** The body was longer than the bound. */
    public static final class TooLarge extends IOException {

        private static final long serialVersionUID = 1L;

        TooLarge(int maxBytes) {
            super("body larger than " + maxBytes + " bytes");
        }
    }
}
