package dev.aceproxy.ts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The testkit's clip: 10 s of H.264 + AAC, video PID 256, PMT PID 4096, keyframe every second. */
public final class Clip {

    public static final int VIDEO_PID = 256;
    public static final int PMT_PID = 4096;

    private static byte[] bytes;

    private Clip() {
    }

    public static synchronized byte[] bytes() {
        if (bytes == null) {
            try (InputStream in = Clip.class.getResourceAsStream("/dev/aceproxy/testkit/clip.ts")) {
                if (in == null) {
                    throw new IllegalStateException("clip.ts not on the test class path");
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes.clone();
    }

    /** The clip cut into chunks of {@code packetsPerChunk} packets (each owning a fresh array). */
    public static List<Chunk> chunks(byte[] source, int packetsPerChunk) {
        List<Chunk> chunks = new ArrayList<>();
        int size = packetsPerChunk * TsPackets.PACKET_SIZE;
        for (int at = 0; at < source.length; at += size) {
            int length = Math.min(size, source.length - at);
            byte[] copy = new byte[length];
            System.arraycopy(source, at, copy, 0, length);
            chunks.add(Chunk.wrap(copy));
        }
        return chunks;
    }

    public static int pid(byte[] data, int packet) {
        int at = packet * TsPackets.PACKET_SIZE;
        return ((data[at + 1] & 0x1F) << 8) | (data[at + 2] & 0xFF);
    }

    public static boolean unitStart(byte[] data, int packet) {
        return (data[packet * TsPackets.PACKET_SIZE + 1] & 0x40) != 0;
    }

    public static int counter(byte[] data, int packet) {
        return data[packet * TsPackets.PACKET_SIZE + 3] & 0x0F;
    }

    public static boolean randomAccess(byte[] data, int packet) {
        int at = packet * TsPackets.PACKET_SIZE;
        return (data[at + 3] & 0x20) != 0 && (data[at + 4] & 0xFF) > 0 && (data[at + 5] & 0x40) != 0;
    }

    /** Packet indexes where a video keyframe starts (random access indicator set). */
    public static List<Integer> keyframePackets(byte[] data) {
        List<Integer> found = new ArrayList<>();
        for (int packet = 0; packet < data.length / TsPackets.PACKET_SIZE; packet++) {
            if (pid(data, packet) == VIDEO_PID && unitStart(data, packet) && randomAccess(data, packet)) {
                found.add(packet);
            }
        }
        return found;
    }

    /** A copy of {@code data} with every random access indicator cleared. */
    public static byte[] withoutRandomAccessIndicators(byte[] data) {
        byte[] copy = data.clone();
        for (int packet = 0; packet < copy.length / TsPackets.PACKET_SIZE; packet++) {
            if (randomAccess(copy, packet)) {
                copy[packet * TsPackets.PACKET_SIZE + 5] &= (byte) ~0x40;
            }
        }
        return copy;
    }
}
