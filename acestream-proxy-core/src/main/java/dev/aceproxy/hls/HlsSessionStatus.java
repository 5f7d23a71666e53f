package dev.aceproxy.hls;

import dev.aceproxy.engine.ContentId;
import java.util.Objects;
import java.util.Optional;

/**
 * What one HLS session shows in the status: its viewers and the segments it holds.
 *
 * @param content the content, or the first alternate of the channel it plays
 * @param channel the channel's name, when the session plays a channel
 * @param viewers viewers that fetched something within {@link HlsPolicy#viewerTimeout()}
 * @param segments segments held (listed and retained behind the window)
 * @param bytesHeld bytes those segments reference (shared with the stream's other clients)
 * @param mediaSequence the first listed segment's number, or -1 before the first segment
 * @param targetDurationSeconds the playlist's target duration
 * @param discontinuities discontinuities in the session so far
 * @param segmentsServed segment requests answered with a segment
 * @param playlistsServed playlist requests answered with a playlist
 */
public record HlsSessionStatus(ContentId content, Optional<String> channel, int viewers, int segments, long bytesHeld, long mediaSequence,
                               int targetDurationSeconds, long discontinuities, long segmentsServed,
                               long playlistsServed) {

    /**
     * Validates.
     *
     * @throws NullPointerException if {@code content} or {@code channel} is null
     */
    public HlsSessionStatus {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(channel, "channel");
    }
}
