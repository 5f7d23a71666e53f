package dev.aceproxy.testkit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * The body of one playback connection: the looped clip cut into writes as the engine's write
 * profile says, the first bytes at link speed and the rest paced, with the playback faults (stall,
 * end after n bytes) applied between writes. Each write is flushed on its own. Ends cleanly when
 * the fault says so; a stop, cut or replacing reader closes the socket under it and the next write
 * fails.
 */
final class PlaybackBody {

    /**
     * Longest sleep between checks: a large write at a low rate can be seconds away, and a reader
     * that left, a stop or a replacing reader must end the connection's thread well before that.
     */
    private static final long MAX_SLEEP_NANOS = 20_000_000L;

    private final EngineParts parts;
    private final LiveSession session;
    private final Connection connection;

    PlaybackBody(EngineParts parts, LiveSession session, Connection connection) {
        this.parts = parts;
        this.session = session;
        this.connection = connection;
    }

    void run(OutputStream out) throws IOException, InterruptedException {
        EngineConfig config = parts.config();
        FaultScript faults = parts.faults();
        TsClip clip = config.clip();
        long loopNanos = clip.loopTicks90k() * 1_000_000_000L / 90_000;
        ClipBytes bytes = new ClipBytes(new ClipLoop(clip, session.download().startPass(loopNanos, System.nanoTime())));
        PlaybackPacer pacer = new PlaybackPacer(config.bitsPerSecond(), config.writeProfile().burstBytes());
        WriteSizes sizes = WriteSizes.of(config.writeProfile(), config.bitsPerSecond());
        byte[] buffer = new byte[WriteSizes.MAX_WRITE_BYTES];
        long sent = 0;
        int length = 0;
        while (!session.isStopped() && !connection.isClosed() && session.isReader(connection)) {
            if (faults.holdWhileStalled()) {
                pacer.restart(sent, System.nanoTime());
            }
            long limit = faults.endPlaybacksAfter();
            if (limit >= 0 && sent >= limit) {
                return;
            }
            if (length == 0) {
                length = sizes.next(sent);
                bytes.next(buffer, length);
            }
            long wait = pacer.nanosUntilDue(sent, length, System.nanoTime());
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(Math.min(wait, MAX_SLEEP_NANOS)));
                continue;
            }
            // a limit may cut a write short; the rest stays pending, so the bytes stay the loop's
            int writing = limit >= 0 ? (int) Math.min(length, limit - sent) : length;
            out.write(buffer, 0, writing);
            out.flush();
            System.arraycopy(buffer, writing, buffer, 0, length - writing);
            length -= writing;
            sent += writing;
            parts.counters().bytesSent.addAndGet(writing);
            session.addDownloaded(writing);
            session.download().passSent(bytes.currentAbsolutePass());
        }
    }
}
