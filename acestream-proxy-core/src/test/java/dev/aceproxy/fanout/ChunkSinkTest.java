package dev.aceproxy.fanout;

import dev.aceproxy.fanout.internal.Player;
import dev.aceproxy.fanout.internal.FanOut;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.FastStartPolicy;
import dev.aceproxy.ts.TsPackets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChunkSinkTest {

    private static Chunk packets(int count, int fill) {
        byte[] b = new byte[count * TsPackets.PACKET_SIZE];
        java.util.Arrays.fill(b, (byte) fill);
        for (int at = 0; at < b.length; at += TsPackets.PACKET_SIZE) {
            b[at] = (byte) TsPackets.SYNC_BYTE;
            b[at + 1] = 0x01; // PID 0x100, no tables: nothing is resent
            b[at + 2] = 0x00;
            b[at + 3] = 0x10;
        }
        return Chunk.wrap(b);
    }

    /** Records what a ChunkSink is handed, in order. */
    private static final class Recording implements ChunkSink {
        final List<Object> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void write(Chunk chunk) {
            events.add(chunk);
        }

        @Override
        public void upstreamRestarted() {
            events.add("restart");
        }

        @Override
        public void close() {
            events.add("closed");
        }
    }

    @Test
    void aChunkSinkGetsTheSharedChunksAndTheRestartInStreamOrderAndOtherSinksNeverSeeTheMark() throws Exception {
        FanOut fanOut = new FanOut(PlayerPolicy.DEFAULT, FastStartPolicy.DISABLED,
                CoalescePolicy.DISABLED);
        Recording chunks = new Recording();
        ScriptedSink bytes = ScriptedSink.recording();
        Player chunkWriter = fanOut.add(chunks);
        Player byteWriter = fanOut.add(bytes);
        // outside the heap already, so the fan-out hands out these very chunks, copying nothing
        Chunk a = packets(3, 0xA1).outsideHeap();
        Chunk b = packets(2, 0xB2).outsideHeap();
        fanOut.write(a);
        fanOut.upstreamRestarted();
        fanOut.write(b);
        fanOut.close(EndReason.SHUTDOWN, Duration.ofSeconds(5));
        chunkWriter.ended().get(5, TimeUnit.SECONDS);
        byteWriter.ended().get(5, TimeUnit.SECONDS);

        assertThat(chunks.events).hasSize(4);
        assertThat(chunks.events.get(0)).isSameAs(a);
        assertThat(chunks.events.get(1)).isEqualTo("restart");
        assertThat(chunks.events.get(2)).isSameAs(b);
        assertThat(chunks.events.get(3)).isEqualTo("closed");
        assertThat(bytes.bytes()).hasSize(a.length() + b.length());
        assertThat(chunkWriter.stats().bytesWritten()).isEqualTo(a.length() + b.length());
    }
}
