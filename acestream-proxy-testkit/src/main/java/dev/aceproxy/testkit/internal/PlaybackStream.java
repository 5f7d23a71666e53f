package dev.aceproxy.testkit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * The body of one playback connection: the looped clip, paced, with the initial burst, and with the
 * playback faults (stall, end after n bytes) applied between chunks. Ends cleanly when the fault
 * says so; a stop or cut closes the socket under it and the next write fails.
 */
final class PlaybackStream {

    /** Largest write: 348 packets, about 64 KiB. */
    private static final int MAX_CHUNK_PACKETS = 348;
    /** Paced writes carry about this many milliseconds of stream each. */
    private static final int PACED_CHUNK_MILLIS = 10;

    private final EngineParts parts;
    private final LiveSession session;

    PlaybackStream(EngineParts parts, LiveSession session) {
        this.parts = parts;
        this.session = session;
    }

    void run(OutputStream out) throws IOException, InterruptedException {
        EngineConfig config = parts.config();
        FaultScript faults = parts.faults();
        TsClip clip = config.clip();
        long loopNanos = clip.loopTicks90k() * 1_000_000_000L / 90_000;
        ClipLoop loop = new ClipLoop(clip, session.startPass(loopNanos, System.nanoTime()));
        PlaybackPacer pacer = new PlaybackPacer(config.bitsPerSecond(), config.initialBurst());
        int pacedPackets = Math.clamp(
                config.bitsPerSecond() / 8 * PACED_CHUNK_MILLIS / 1000 / TsClip.PACKET_SIZE, 1, MAX_CHUNK_PACKETS);
        byte[] buffer = new byte[MAX_CHUNK_PACKETS * TsClip.PACKET_SIZE];
        long sent = 0;
        while (!session.isStopped()) {
            if (faults.holdWhileStalled()) {
                pacer.restart(sent, System.nanoTime());
            }
            long limit = faults.endPlaybacksAfter();
            if (limit >= 0 && sent >= limit) {
                return;
            }
            long wait = pacer.nanosUntilDue(sent, System.nanoTime());
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
                continue;
            }
            int packets = pacer.inBurst(sent)
                    ? (int) Math.min(MAX_CHUNK_PACKETS, Math.ceilDiv(config.initialBurst() - sent, TsClip.PACKET_SIZE))
                    : pacedPackets;
            int length = loop.fill(buffer, packets);
            if (limit >= 0) {
                length = (int) Math.min(length, limit - sent);
            }
            out.write(buffer, 0, length);
            sent += length;
            parts.counters().bytesSent.addAndGet(length);
            session.addDownloaded(length);
            session.passSent(loop.currentAbsolutePass());
        }
    }
}
