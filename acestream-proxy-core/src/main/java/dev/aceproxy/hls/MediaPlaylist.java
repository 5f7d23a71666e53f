package dev.aceproxy.hls;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A snapshot of a live HLS media playlist (RFC 8216): the segments of the sliding window, with the
 * numbers a player needs to follow it. Immutable.
 *
 * @param session the HLS session's tag: segment numbers start again in a new session, so a
 *     segment's uri carries the tag too, and a cache never mixes two sessions' segments up
 * @param targetDurationSeconds {@code #EXT-X-TARGETDURATION}: at least every listed segment's
 *     duration rounded to the nearest second, and never lower than it was earlier in the session
 * @param discontinuitySequence {@code #EXT-X-DISCONTINUITY-SEQUENCE}: discontinuities that left the
 *     window
 * @param segments the listed segments, oldest first, consecutive sequence numbers; not empty
 */
public record MediaPlaylist(String session, int targetDurationSeconds, long discontinuitySequence, List<Segment> segments) {

    /**
     * Validates and copies the list.
     *
     * @throws NullPointerException if {@code segments} is null
     * @throws IllegalArgumentException if there is no segment or the target is under 1
     */
    public MediaPlaylist {
        Objects.requireNonNull(session, "session");
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a playlist lists at least one segment");
        }
        if (targetDurationSeconds < 1) {
            throw new IllegalArgumentException("targetDurationSeconds must be at least 1");
        }
    }

    /**
     * {@code #EXT-X-MEDIA-SEQUENCE}: the first listed segment's number.
     *
     * @return the media sequence
     */
    public long mediaSequence() {
        return segments.get(0).sequence();
    }

    /**
     * Writes the playlist text.
     *
     * @param uriOf the uri of a segment as the playlist lists it (relative, for a player to
     *     resolve against the playlist's own uri)
     * @return the playlist, lines ending with {@code \n}
     * @throws NullPointerException if {@code uriOf} is null
     */
    public String render(Function<Segment, String> uriOf) {
        Objects.requireNonNull(uriOf, "uriOf");
        StringBuilder out = new StringBuilder(128 + segments.size() * 160);
        out.append("#EXTM3U\n#EXT-X-VERSION:3\n");
        out.append("#EXT-X-TARGETDURATION:").append(targetDurationSeconds).append('\n');
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence()).append('\n');
        if (discontinuitySequence > 0) {
            out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        }
        for (Segment s : segments) {
            if (s.discontinuity()) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            out.append("#EXT-X-PROGRAM-DATE-TIME:")
                    .append(DateTimeFormatter.ISO_INSTANT.format(s.programDateTime().truncatedTo(
                            java.time.temporal.ChronoUnit.MILLIS))).append('\n');
            out.append(String.format(Locale.ROOT, "#EXTINF:%.3f,", s.durationMillis() / 1000.0)).append('\n');
            out.append(uriOf.apply(s)).append('\n');
        }
        return out.toString();
    }
}
