package dev.aceproxy.testkit.internal;

/**
 * A {@link ClipLoop} read as bytes: hands out any number of the loop's bytes at a time, so writes
 * may end anywhere inside a packet while the byte sequence stays the loop's, packet for packet. Not
 * thread-safe: owned by the connection's streaming thread.
 */
final class ClipBytes {

    /** Packets rewritten at a time. */
    private static final int STAGED_PACKETS = 64;

    private final ClipLoop loop;
    private final byte[] staged = new byte[STAGED_PACKETS * TsClip.PACKET_SIZE];
    private int position;
    private int limit;

    ClipBytes(ClipLoop loop) {
        this.loop = loop;
    }

    /**
     * Copies the next {@code length} bytes of the loop into {@code out}.
     *
     * @param out the destination
     * @param length how many bytes, at most {@code out.length}
     */
    void next(byte[] out, int length) {
        int copied = 0;
        while (copied < length) {
            if (position == limit) {
                position = 0;
                limit = loop.fill(staged, STAGED_PACKETS);
            }
            int n = Math.min(length - copied, limit - position);
            System.arraycopy(staged, position, out, copied, n);
            position += n;
            copied += n;
        }
    }

    /** @return the pass of the stream's timeline the loop has reached (staged bytes included) */
    long currentAbsolutePass() {
        return loop.currentAbsolutePass();
    }
}
