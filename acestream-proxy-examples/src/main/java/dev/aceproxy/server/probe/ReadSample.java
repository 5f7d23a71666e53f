package dev.aceproxy.server.probe;

import dev.aceproxy.server.TsInspection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the start of a playback the way a proxy would, and records the size of each read and the
 * gap before it (a bounded sample), where the first {@code 0x47} sync byte is, and what the MPEG-TS
 * packets show ({@link TsInspection}).
 */
final class ReadSample {

    /** The most reads recorded. */
    static final int MAX_READS = 2000;
    /** The size of each read asked for. */
    static final int READ_BUFFER = 64 * 1024;
    /** The most bytes kept for the MPEG-TS inspection. */
    static final int MAX_KEPT_BYTES = 8 << 20;
    /** A read that waits this long ends the sample as a stall. */
    static final Duration STALL = Duration.ofSeconds(15);

    private static final int PACKET = 188;
    private static final int SYNC = 0x47;

    private ReadSample() {
    }

    /**
     * Reads for at most {@code duration} or {@link #MAX_READS} reads, whichever comes first.
     *
     * @param firstRead the bytes of the read that already happened (it counts as the first read)
     */
    static Map<String, Object> record(WireConnection connection, InputStream body, byte[] firstRead,
                                      Duration duration) throws IOException {
        long started = System.nanoTime();
        long deadline = started + duration.toNanos();
        long[] sizes = new long[MAX_READS];
        long[] gapsMicros = new long[MAX_READS];
        int reads = 0;
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        kept.write(firstRead, 0, firstRead.length);
        sizes[reads++] = firstRead.length;
        long total = firstRead.length;
        String end = "sample complete";
        connection.readTimeout(STALL);
        byte[] buffer = new byte[READ_BUFFER];
        long last = System.nanoTime();
        try {
            while (reads < MAX_READS && System.nanoTime() < deadline) {
                int n = body.read(buffer);
                long now = System.nanoTime();
                if (n < 0) {
                    end = "eof";
                    break;
                }
                sizes[reads] = n;
                gapsMicros[reads] = (now - last) / 1000;
                reads++;
                last = now;
                total += n;
                if (kept.size() + n <= MAX_KEPT_BYTES) {
                    kept.write(buffer, 0, n);
                }
            }
        } catch (SocketTimeoutException e) {
            end = "stall: no data for " + STALL.toSeconds() + " s";
        }
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("read_buffer_bytes", READ_BUFFER);
        out.put("reads", reads);
        out.put("bytes", total);
        out.put("duration_ms", Math.round(seconds * 1000));
        out.put("bits_per_second", Math.round(total * 8 / seconds));
        out.put("end", end);
        out.put("read_sizes", java.util.Arrays.copyOf(sizes, reads));
        out.put("gaps_before_read_us", java.util.Arrays.copyOf(gapsMicros, reads));
        byte[] bytes = kept.toByteArray();
        out.put("first_bytes_hex", HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 32)));
        out.put("first_0x47_offset", firstSync(bytes));
        int aligned = alignedSync(bytes);
        out.put("first_packet_offset", aligned);
        if (aligned >= 0) {
            TsInspection ts = new TsInspection();
            int whole = (bytes.length - aligned) / PACKET * PACKET;
            ts.observe(ByteBuffer.wrap(bytes, aligned, whole).slice());
            Map<String, Object> inspection = new LinkedHashMap<>();
            inspection.put("packets", ts.packets());
            inspection.put("bad_sync_packets", ts.badSyncPackets());
            inspection.put("pat_seen", ts.patSeen());
            inspection.put("pmt_seen", ts.pmtSeen());
            inspection.put("keyframes", ts.keyframes());
            out.put("mpeg_ts", inspection);
        }
        return out;
    }

    /** The offset of the first {@code 0x47}, or -1. */
    static int firstSync(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if ((bytes[i] & 0xff) == SYNC) {
                return i;
            }
        }
        return -1;
    }

    /** The first offset with {@code 0x47} there and one and two packets later, or -1. */
    static int alignedSync(byte[] bytes) {
        for (int i = 0; i + 2 * PACKET < bytes.length; i++) {
            if ((bytes[i] & 0xff) == SYNC && (bytes[i + PACKET] & 0xff) == SYNC
                    && (bytes[i + 2 * PACKET] & 0xff) == SYNC) {
                return i;
            }
        }
        return -1;
    }
}
