package dev.aceproxy.fanout;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;

/**
 * An upstream that returns reads the way an engine's socket does: seeded random sizes from 1 byte
 * to 128 KiB, rarely on a packet boundary, mixing tiny, mid-sized and large reads.
 */
final class RaggedInput extends InputStream {

    /** The largest read: 128 KiB. */
    static final int MAX_READ = 128 * 1024;

    private final ByteArrayInputStream source;
    private final Random random;

    RaggedInput(byte[] bytes, long seed) {
        this.source = new ByteArrayInputStream(bytes);
        this.random = new Random(seed);
    }

    @Override
    public int read() {
        return source.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        return source.read(b, off, Math.min(len, nextSize()));
    }

    /** Log-uniform from 1 B to 128 KiB, so every size class is common. */
    private int nextSize() {
        double exponent = random.nextDouble() * Math.log(MAX_READ);
        return Math.max(1, (int) Math.exp(exponent));
    }
}
