package dev.aceproxy.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sink flushes only what the container may be holding back, and closes exactly once. */
class ServletClientSinkTest {

    private static final int BUFFER = 32 * 1024;

    private final ServletOutputStream out = mock(ServletOutputStream.class);
    private final AtomicInteger aborts = new AtomicInteger();
    private final ServletClientSink sink = new ServletClientSink(out, BUFFER, aborts::incrementAndGet);

    @Test
    void aWriteAsLargeAsTheResponseBufferNeedsNoFlush() throws IOException {
        sink.write(ByteBuffer.allocate(BUFFER).asReadOnlyBuffer());
        sink.flush();
        verify(out).write(any(ByteBuffer.class));
        verify(out, never()).flush();
    }

    @Test
    void aSmallWriteIsFlushedOnce() throws IOException {
        sink.write(ByteBuffer.allocate(7 * 188).asReadOnlyBuffer());
        sink.flush();
        sink.flush();
        verify(out, times(1)).flush();
    }

    @Test
    void aLargeWriteAfterASmallOneLeavesNothingToFlush() throws IOException {
        sink.write(ByteBuffer.allocate(188).asReadOnlyBuffer());
        sink.write(ByteBuffer.allocate(2 * BUFFER).asReadOnlyBuffer());
        sink.flush();
        verify(out, never()).flush();
    }

    @Test
    void closedSinkRefusesWritesAndAbortsOnlyAWriteInProgress() throws IOException {
        sink.close();
        sink.close();
        assertThat(aborts).hasValue(0);
        assertThat(sink.isClosed()).isTrue();
        assertThatThrownBy(() -> sink.write(ByteBuffer.allocate(188))).isInstanceOf(IOException.class);
    }
}
