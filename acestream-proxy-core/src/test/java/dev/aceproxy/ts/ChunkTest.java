package dev.aceproxy.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChunkTest {

    private final byte[] clip = Clip.bytes();

    @Test
    void wrapsWholePacketsWithoutCopying() throws Exception {
        Chunk chunk = Chunk.wrap(clip, 188, 3 * 188);

        assertThat(chunk.length()).isEqualTo(564);
        assertThat(chunk.packetCount()).isEqualTo(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        chunk.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(clip, 188, 4 * 188));
    }

    @Test
    void copiesOnTheHeapJoinsOutsideItAndSlicesShareTheCopy() throws Exception {
        byte[] source = Arrays.copyOf(clip, 100 * 188);
        Chunk first = Chunk.copyOf(source, 0, 60 * 188);
        Chunk second = Chunk.copyOf(source, 60 * 188, 40 * 188);
        Arrays.fill(source, (byte) 0);
        assertThat(first.buffer().isDirect()).as("on the heap").isFalse();
        assertThat(first.buffer().isReadOnly()).isTrue();
        Chunk moved = first.outsideHeap();
        assertThat(moved.buffer().isDirect()).as("outside the heap").isTrue();
        assertThat(moved.buffer().isReadOnly()).isTrue();
        assertThat(moved.outsideHeap()).as("already outside: not copied again").isSameAs(moved);
        byte[] movedBytes = new byte[moved.length()];
        moved.copyTo(movedBytes, 0);
        assertThat(movedBytes).isEqualTo(Arrays.copyOf(clip, 60 * 188));
        assertThat(Chunk.empty().outsideHeap()).isSameAs(Chunk.empty());

        Chunk joined = Chunk.join(java.util.List.of(first, second));
        assertThat(joined.buffer().isDirect()).isTrue();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        joined.writeTo(out);
        assertThat(out.toByteArray()).as("the copy does not follow the source array")
                .isEqualTo(Arrays.copyOf(clip, 100 * 188));

        Chunk slice = joined.slice(10, 12);
        byte[] sliced = new byte[slice.length()];
        slice.copyTo(sliced, 0);
        assertThat(sliced).isEqualTo(Arrays.copyOfRange(clip, 10 * 188, 12 * 188));
        assertThat(slice.byteAt(188)).isEqualTo(clip[11 * 188]);
        assertThat(slice.buffer().isDirect()).as("a slice shares the copy").isTrue();
        assertThatThrownBy(() -> Chunk.copyOf(source, 0, 188)).as("sync byte checked")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsPartialPacketsAndMissingSyncBytes() {
        assertThatThrownBy(() -> Chunk.wrap(new byte[187])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of 188");
        assertThatThrownBy(() -> Chunk.wrap(clip, 1, 188)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sync byte");
        assertThatThrownBy(() -> Chunk.wrap(clip, clip.length - 188, 376))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void bufferIsReadOnlyViewOfTheChunk() {
        Chunk chunk = Chunk.wrap(clip, 188, 2 * 188);
        ByteBuffer buffer = chunk.buffer();

        assertThat(buffer.isReadOnly()).isTrue();
        assertThat(buffer.position()).isZero();
        assertThat(buffer.remaining()).isEqualTo(376);
        assertThat(buffer.get(1)).isEqualTo(clip[189]);
        assertThatThrownBy(() -> buffer.put(0, (byte) 0)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void slicesShareBytesAtPacketBoundaries() {
        Chunk chunk = Chunk.wrap(clip, 0, 10 * 188);

        Chunk slice = chunk.slice(3, 5);
        assertThat(slice.packetCount()).isEqualTo(2);
        assertThat(slice.byteAt(1)).isEqualTo(clip[3 * 188 + 1]);
        assertThat(chunk.slice(0)).isSameAs(chunk);
        assertThat(chunk.slice(10).isEmpty()).isTrue();
        assertThatThrownBy(() -> chunk.slice(4, 11)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void nullPacketsAreFillerOnTheNullPid() {
        Chunk filler = TsPackets.nullPackets(100);

        assertThat(filler.packetCount()).isEqualTo(100);
        for (int packet = 0; packet < 100; packet++) {
            int at = packet * 188;
            assertThat(filler.byteAt(at)).isEqualTo((byte) 0x47);
            assertThat(((filler.byteAt(at + 1) & 0x1F) << 8) | (filler.byteAt(at + 2) & 0xFF))
                    .isEqualTo(TsPackets.NULL_PID);
        }
        assertThat(TsPackets.nullPackets(7).packetCount()).isEqualTo(7);
        assertThatThrownBy(() -> TsPackets.nullPackets(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
