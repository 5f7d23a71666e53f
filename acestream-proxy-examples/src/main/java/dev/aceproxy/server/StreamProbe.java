package dev.aceproxy.server;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.EngineSession;
import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.engine.EngineVersion;
import dev.aceproxy.ts.Chunk;
import dev.aceproxy.ts.internal.TsPacketizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code --probe ID}: checks a real engine end to end without serving anything. Asks the engine
 * for its version, starts a session for the content, reads its stream for a while, then reports
 * bytes, bitrate, TS sync losses, whether PAT and PMT were seen, how many keyframes went by, and
 * the engine's own statistics; finally stops the session. The stream counts as healthy when data
 * arrived without sync losses and PAT, PMT and at least one keyframe were seen.
 */
public final class StreamProbe {

    private final AceEngineClient engine;
    private final Duration readFor;
    private final PrintStream out;

    /**
     * Creates a probe.
     *
     * @param engine the engine to check
     * @param readFor how long to read the stream
     * @param out where the report goes
     */
    public StreamProbe(AceEngineClient engine, Duration readFor, PrintStream out) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.readFor = Objects.requireNonNull(readFor, "readFor");
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Runs the probe and prints its report.
     *
     * @param content the content to play
     * @return true when the stream looked healthy
     * @throws InterruptedException if the calling thread is interrupted; the engine session is
     *     still stopped
     */
    public boolean run(ContentId content) throws InterruptedException {
        EngineVersion version;
        try {
            version = engine.probe();
        } catch (EngineException e) {
            out.println("engine " + engine.baseUri() + ": no answer to get_version: " + e.getMessage());
            return false;
        }
        out.println("engine " + engine.baseUri() + ": version " + version.version() + " (" + version.code() + ", "
                + version.platform() + ")");
        EngineSession session;
        try {
            session = engine.startSession(content, Map.of());
        } catch (EngineException e) {
            out.println("getstream " + content.kind().parameter() + "=" + content.hex() + ": " + e.getMessage());
            return false;
        }
        out.println("session started: infohash " + session.infohash() + switch (session.live()) {
            case YES -> ", live";
            case NO -> ", not live";
            case UNKNOWN -> ", live or not: unknown";
        });
        try {
            return readAndReport(session);
        } finally {
            try {
                engine.stop(session);
                out.println("session stopped");
            } catch (EngineException e) {
                out.println("stopping the session failed: " + e.getMessage());
            }
        }
    }

    private boolean readAndReport(EngineSession session) throws InterruptedException {
        TsInspection inspection = new TsInspection();
        long bytes = 0;
        long syncLosses = 0;
        String failure = null;
        long started = System.nanoTime();
        InputStream playback = null;
        Thread watchdog = null;
        try {
            playback = engine.openPlayback(session);
            InputStream toClose = playback;
            // Reading blocks until data comes; closing the stream at the deadline ends it.
            watchdog = Thread.ofVirtual().name("aceproxy-probe-deadline").start(() -> {
                try {
                    Thread.sleep(readFor);
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    toClose.close();
                } catch (IOException ignored) {
                    // The read in progress fails, which is all that was wanted.
                }
            });
            TsPacketizer packets = new TsPacketizer(playback);
            while (System.nanoTime() - started < readFor.toNanos()) {
                Chunk chunk = packets.next();
                if (chunk == null) {
                    failure = "the engine ended the stream";
                    break;
                }
                bytes += chunk.length();
                inspection.observe(chunk.buffer());
                syncLosses = packets.syncLosses();
            }
        } catch (EngineException e) {
            failure = "opening the playback url failed: " + e.getMessage();
        } catch (IOException e) {
            if (System.nanoTime() - started < readFor.toNanos()) {
                failure = "reading the stream failed: " + e.getMessage();
            }
        } finally {
            if (watchdog != null) {
                watchdog.interrupt();
            }
            if (playback != null) {
                try {
                    playback.close();
                } catch (IOException ignored) {
                    // Closing a finished playback; nothing to report.
                }
            }
        }
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        out.printf(Locale.ROOT, "read %d bytes in %.1f s: %.2f Mbit/s%n", bytes, seconds, bytes * 8 / seconds / 1e6);
        out.println("TS sync losses: " + syncLosses);
        out.println("PAT seen: " + yes(inspection.patSeen()) + ", PMT seen: " + yes(inspection.pmtSeen())
                + ", keyframes: " + inspection.keyframes());
        try {
            EngineStats stats = engine.stats(session);
            out.println("engine stats: status " + stats.status() + ", peers " + stats.peers() + ", down "
                    + stats.speedDownKBps() + " KB/s, up " + stats.speedUpKBps() + " KB/s, downloaded "
                    + stats.downloadedBytes() + " bytes");
        } catch (EngineException e) {
            out.println("engine stats: unavailable (" + e.getMessage() + ")");
        }
        boolean healthy = failure == null && bytes > 0 && syncLosses == 0 && inspection.patSeen()
                && inspection.pmtSeen() && inspection.keyframes() > 0;
        out.println(healthy ? "result: healthy" : "result: NOT healthy" + (failure != null ? " (" + failure + ")" : ""));
        return healthy;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
