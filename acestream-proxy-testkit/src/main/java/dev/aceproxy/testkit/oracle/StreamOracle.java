package dev.aceproxy.testkit.oracle;

import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks a player's bytes against the MPEG-TS source an engine played: every packet must be found
 * in the source, and consecutive packets must follow it, the loop allowed (after the source's last
 * packet comes its first). Packets are compared with the fields an engine's loop rewrites
 * (continuity counters, PCR, PTS and DTS) masked, so a looped fake engine's stream and the raw
 * clip compare equal. Null packets are set aside on both sides: they are padding or keepalive.
 *
 * <pre>{@code
 * StreamOracle oracle = StreamOracle.of(FakeAceEngine.bundledClip());
 * oracle.verify(playerBytes, StreamExpectation.fromAnEntryPoint());
 * }</pre>
 *
 * <p>The oracle parses packets with code of its own and shares none with the proxy. Thread-safe
 * once built.
 */
public final class StreamOracle {

    /** The system property naming where failed captures are saved; default {@value #DEFAULT_FAILURE_DIR}. */
    public static final String FAILURE_DIR_PROPERTY = "aceproxy.oracle.failures";
    /** Where failed captures are saved by default, relative to the working directory. */
    public static final String DEFAULT_FAILURE_DIR = "target/oracle-failures";

    private static final AtomicInteger SAVED = new AtomicInteger();

    private final SourceIndex index;

    private StreamOracle(SourceIndex index) {
        this.index = index;
    }

    /**
     * Indexes a source.
     *
     * @param mpegTs the source: whole 188-byte packets, each starting with the sync byte
     * @return an oracle for that source
     * @throws NullPointerException if {@code mpegTs} is null
     * @throws IllegalArgumentException if the source is not whole packets or holds only null packets
     */
    public static StreamOracle of(byte[] mpegTs) {
        return new StreamOracle(SourceIndex.of(Objects.requireNonNull(mpegTs, "mpegTs")));
    }

    /**
     * Indexes the clip a {@link FakeAceEngine} plays by default.
     *
     * @return an oracle for {@link FakeAceEngine#bundledClip()}
     */
    public static StreamOracle ofBundledClip() {
        return BundledClipOracle.INSTANCE;
    }

    /**
     * Splits a player's bytes into runs that follow the source.
     *
     * @param received what the player received, from its first byte or from any point
     * @return the finding
     * @throws NullPointerException if {@code received} is null
     */
    public StreamCheck check(byte[] received) {
        return new StreamWalk(index, Objects.requireNonNull(received, "received")).run();
    }

    /**
     * Checks a player's bytes and fails when they break the expectation. The failure's message
     * lists each problem and the runs found, and the bytes are saved to a file it names (under
     * {@value #DEFAULT_FAILURE_DIR}, or the directory the {@value #FAILURE_DIR_PROPERTY} system
     * property names), so that what the player got can be looked at.
     *
     * @param received what the player received
     * @param expectation what the test allows
     * @return the finding, when it meets the expectation
     * @throws AssertionError when it does not
     * @throws NullPointerException if an argument is null
     */
    public StreamCheck verify(byte[] received, StreamExpectation expectation) {
        Objects.requireNonNull(expectation, "expectation");
        StreamCheck check = check(received);
        List<String> problems = expectation.problems(check);
        if (!problems.isEmpty()) {
            throw new AssertionError("the player's bytes do not follow the source (expected " + expectation + "):\n- "
                    + String.join("\n- ", problems) + "\n" + check.describe() + "\n" + save(received));
        }
        return check;
    }

    private static String save(byte[] received) {
        Path dir = Path.of(System.getProperty(FAILURE_DIR_PROPERTY, DEFAULT_FAILURE_DIR));
        Path file = dir.resolve("capture-" + ProcessHandle.current().pid() + "-" + SAVED.incrementAndGet() + ".ts");
        try {
            Files.createDirectories(dir);
            Files.write(file, received);
            return "the bytes are saved in " + file.toAbsolutePath();
        } catch (IOException e) {
            return "the bytes could not be saved in " + file + ": " + e;
        }
    }

    /** Indexes the bundled clip once, on first use. */
    private static final class BundledClipOracle {
        static final StreamOracle INSTANCE = of(FakeAceEngine.bundledClip());
    }
}
