package dev.aceproxy.testkit.internal;

/**
 * One connection's endless read of a {@link TsClip}: pass after pass, with continuity counters
 * carried across the seams and PCR/PTS/DTS shifted by one pass duration per pass, so a decoder sees
 * one continuous live stream. Not thread-safe: owned by the connection's streaming thread.
 */
final class ClipLoop {

    private final TsClip clip;
    private final long firstAbsolutePass;
    private long relativePass;
    private int nextPacket;

    /**
     * @param clip the clip
     * @param firstAbsolutePass the pass on the stream's timeline this connection starts at
     */
    ClipLoop(TsClip clip, long firstAbsolutePass) {
        this.clip = clip;
        this.firstAbsolutePass = firstAbsolutePass;
    }

    /**
     * Fills {@code out} with the next packets of the loop.
     *
     * @param out the destination, at least {@code packets * 188} bytes
     * @param packets how many packets to write
     * @return the number of bytes written, {@code packets * 188}
     */
    int fill(byte[] out, int packets) {
        for (int n = 0; n < packets; n++) {
            clip.copyPacket(nextPacket, firstAbsolutePass + relativePass, relativePass, out, n * TsClip.PACKET_SIZE);
            if (++nextPacket == clip.packets()) {
                nextPacket = 0;
                relativePass++;
            }
        }
        return packets * TsClip.PACKET_SIZE;
    }

    /** @return the pass on the stream's timeline the next packet belongs to */
    long currentAbsolutePass() {
        return firstAbsolutePass + relativePass;
    }
}
