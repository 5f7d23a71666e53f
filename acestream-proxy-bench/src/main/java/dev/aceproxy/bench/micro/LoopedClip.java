package dev.aceproxy.bench.micro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The testkit's 10-second MPEG-TS clip as bytes, and an endless stream that replays it.
 */
final class LoopedClip {

    private static final String RESOURCE = "/dev/aceproxy/testkit/clip.ts";

    private LoopedClip() {
    }

    /** {@return the clip's bytes (whole 188-byte packets)} */
    static byte[] bytes() {
        try (InputStream in = LoopedClip.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("clip not on the classpath: " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An input stream that replays {@code clip} forever, returning at most {@code maxRead} bytes
     * per read, the way a socket returns whatever has arrived.
     */
    static InputStream endless(byte[] clip, int maxRead) {
        return new InputStream() {
            private int position;

            @Override
            public int read() {
                int b = clip[position] & 0xff;
                position = (position + 1) % clip.length;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = Math.min(Math.min(len, maxRead), clip.length - position);
                System.arraycopy(clip, position, b, off, n);
                position = (position + n) % clip.length;
                return n;
            }
        };
    }
}
