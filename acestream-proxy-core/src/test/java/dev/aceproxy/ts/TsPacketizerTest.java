package dev.aceproxy.ts;

import dev.aceproxy.ts.internal.TsPacketizer;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(20)
class TsPacketizerTest {

    private final byte[] clip = Clip.bytes();

    @ParameterizedTest
    @ValueSource(ints = {1, 187, 189, 65537})
    void reassemblesWholePacketsFromAnyReadSize(int readSize) throws IOException {
        TsPacketizer packetizer = new TsPacketizer(limitedReads(clip, readSize));

        byte[] out = drain(packetizer);

        assertThat(out).isEqualTo(clip);
        assertThat(packetizer.packets()).isEqualTo(clip.length / 188);
        assertThat(packetizer.droppedBytes()).isZero();
        assertThat(packetizer.syncLosses()).isZero();
    }

    @Test
    void emitsTheFirstPacketWithoutWaitingForMore() throws IOException {
        CountDownLatch never = new CountDownLatch(1);
        InputStream firstPacketThenSilence = new InputStream() {
            private int served;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served == 0) {
                    served = 188;
                    System.arraycopy(clip, 0, b, off, 188);
                    return 188;
                }
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return -1;
            }
        };

        Chunk first = new TsPacketizer(firstPacketThenSilence).next();

        assertThat(first.packetCount()).isEqualTo(1);
    }

    @Test
    void resynchronisesAfterGarbageAndAfterACutPacket() throws IOException {
        ByteArrayOutputStream damaged = new ByteArrayOutputStream();
        damaged.write(clip, 0, 100 * 188);
        damaged.write(new byte[50], 0, 50);                       // garbage between two packets
        damaged.write(clip, 100 * 188, 100 * 188);                 // packets 100..199
        damaged.write(clip, 200 * 188, 60);                        // packet 200 cut short
        damaged.write(clip, 201 * 188, clip.length - 201 * 188);   // packets 201..
        TsPacketizer packetizer = new TsPacketizer(limitedReads(damaged.toByteArray(), 4096));

        byte[] out = drain(packetizer);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(clip, 0, 200 * 188);
        expected.write(clip, 201 * 188, clip.length - 201 * 188);
        assertThat(out).isEqualTo(expected.toByteArray());
        assertThat(packetizer.droppedBytes()).isEqualTo(50 + 60);
        assertThat(packetizer.syncLosses()).isEqualTo(2);
    }

    @Test
    void findsTheFirstPacketWhenTheStreamStartsMidPacket() throws IOException {
        byte[] midPacket = Arrays.copyOfRange(clip, 77, clip.length);
        TsPacketizer packetizer = new TsPacketizer(limitedReads(midPacket, 1000));

        byte[] out = drain(packetizer);

        assertThat(out).isEqualTo(Arrays.copyOfRange(clip, 188, clip.length));
        assertThat(packetizer.droppedBytes()).isEqualTo(188 - 77);
    }

    @Test
    void dropsAPartialPacketAtTheEnd() throws IOException {
        byte[] truncated = Arrays.copyOf(clip, 500 * 188 + 100);
        TsPacketizer packetizer = new TsPacketizer(limitedReads(truncated, 189));

        byte[] out = drain(packetizer);

        assertThat(out).isEqualTo(Arrays.copyOf(clip, 500 * 188));
        assertThat(packetizer.droppedBytes()).isEqualTo(100);
        assertThat(packetizer.next()).isNull();
    }

    @Test
    void chunksOwnTheirBytes() throws IOException {
        TsPacketizer packetizer = new TsPacketizer(limitedReads(clip, 188 * 5), TsPacketizer.MIN_READ_BUFFER_SIZE);
        Chunk first = packetizer.next();
        byte[] before = new byte[first.length()];
        first.copyTo(before, 0);

        for (int i = 0; i < 50; i++) {
            packetizer.next();
        }

        byte[] after = new byte[first.length()];
        first.copyTo(after, 0);
        assertThat(after).isEqualTo(before);
    }

    static byte[] drain(TsPacketizer packetizer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Chunk chunk;
        while ((chunk = packetizer.next()) != null) {
            assertThat(chunk.length() % 188).isZero();
            chunk.writeTo(out);
        }
        return out.toByteArray();
    }

    /** A stream that returns at most {@code readSize} bytes per read. */
    static InputStream limitedReads(byte[] data, int readSize) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, readSize));
            }
        };
    }
}
