package dev.aceproxy.hls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.hls.Segment;
import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.ts.Chunk;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmenterTest {

    private static final int PACKET = 188;
    private static final int VIDEO_PID = 256;
    private static final byte[] CLIP = FakeAceEngine.bundledClip();

    private static HlsPolicy policy(int window) {
        return HlsPolicy.DEFAULT.withWindowSegments(window);
    }

    /** Feeds bytes in ragged chunks of 1 to 60 packets (fixed seed), as an engine's bursts come. */
    private static void feed(Segmenter segmenter, byte[] bytes, long seed) throws Exception {
        Random random = new Random(seed);
        int at = 0;
        int packets = bytes.length / PACKET;
        int done = 0;
        while (done < packets) {
            int n = Math.min(packets - done, 1 + random.nextInt(60));
            segmenter.write(Chunk.wrap(Arrays.copyOfRange(bytes, at, at + n * PACKET)));
            at += n * PACKET;
            done += n;
        }
    }

    private static byte[] bytes(Segment segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Chunk c : segment.chunks()) {
            byte[] b = new byte[c.length()];
            c.copyTo(b, 0);
            out.writeBytes(b);
        }
        assertThat(out.size()).isEqualTo(segment.length());
        return out.toByteArray();
    }

    private static int pid(byte[] b, int at) {
        return ((b[at + 1] & 0x1F) << 8) | (b[at + 2] & 0xFF);
    }

    private static void assertStartsWithTablesThenKeyframe(byte[] segment) {
        assertThat(pid(segment, 0)).as("PAT first").isZero();
        assertThat(pid(segment, PACKET)).as("PMT second").isEqualTo(4096);
        for (int at = 2 * PACKET; at < segment.length; at += PACKET) {
            if (pid(segment, at) == VIDEO_PID) {
                boolean start = (segment[at + 1] & 0x40) != 0;
                boolean randomAccess = (segment[at + 3] & 0x20) != 0 && (segment[at + 5] & 0x40) != 0;
                assertThat(start && randomAccess).as("first video packet starts a keyframe").isTrue();
                return;
            }
        }
        throw new AssertionError("no video packet");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = 0; i + from + 8 * PACKET <= needle.length && i + 8 * PACKET <= haystack.length; i += PACKET) {
            for (int j = 0; j < 8 * PACKET; j++) {
                if (haystack[i + j] != needle[from + j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void theClipIsCutIntoTwoSecondSegmentsThatAreItsOwnBytes() throws Exception {
        SegmentWindow window = new SegmentWindow(policy(20), "t");
        Segmenter segmenter = new Segmenter(policy(20), window, Clock.systemUTC());
        feed(segmenter, CLIP, 1);
        List<Segment> segments = window.held();
        // Keyframes at 1.42 s, 2.42 s, ... 10.42 s: the first segment starts at the first one,
        // and a segment is published once the keyframe after its end arrives.
        assertThat(segments).hasSize(4);
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            assertThat(s.sequence()).isEqualTo(i);
            assertThat(s.durationMillis()).isEqualTo(2000);
            assertThat(s.discontinuity()).isFalse();
            assertStartsWithTablesThenKeyframe(bytes(s));
            if (i > 0) {
                assertThat(s.programDateTime()).isEqualTo(
                        segments.get(i - 1).programDateTime().plusMillis(segments.get(i - 1).durationMillis()));
            }
        }
        // The first keyframe has no tables right before it: its segment starts with a copy of
        // them (two packets), then the clip from the keyframe on. Every later cut is at tables
        // right before a keyframe, so the segments in order are exactly the clip's bytes.
        byte[] first = bytes(segments.get(0));
        int start = indexOf(CLIP, first, 2 * PACKET);
        assertThat(start).isPositive();
        int at = start;
        for (int i = 0; i < segments.size(); i++) {
            byte[] b = bytes(segments.get(i));
            int from = i == 0 ? 2 * PACKET : 0;
            assertThat(Arrays.equals(CLIP, at, at + b.length - from, b, from, b.length))
                    .as("segment %d is the clip's bytes", i).isTrue();
            at += b.length - from;
        }
    }

    @Test
    void aNewUpstreamClosesTheSegmentAndTheNextOneStartsWithADiscontinuity() throws Exception {
        SegmentWindow window = new SegmentWindow(policy(20), "t");
        Segmenter segmenter = new Segmenter(policy(20), window, Clock.systemUTC());
        byte[] half = Arrays.copyOf(CLIP, CLIP.length / 2 / PACKET * PACKET);
        feed(segmenter, half, 2);
        int before = window.held().size();
        assertThat(before).isPositive();
        segmenter.upstreamRestarted();
        List<Segment> afterRestart = window.held();
        assertThat(afterRestart).hasSize(before + 1);
        Segment cut = afterRestart.get(before);
        assertThat(cut.discontinuity()).isFalse();
        assertThat(cut.durationMillis()).isBetween(100L, 2000L);
        // The closed segment ends exactly where the old upstream's bytes ended.
        byte[] cutBytes = bytes(cut);
        assertThat(Arrays.equals(half, half.length - cutBytes.length, half.length, cutBytes, 0, cutBytes.length))
                .isTrue();

        feed(segmenter, CLIP, 3);
        List<Segment> all = window.held();
        assertThat(all.size()).isGreaterThan(before + 2);
        Segment next = all.get(before + 1);
        assertThat(next.discontinuity()).isTrue();
        assertStartsWithTablesThenKeyframe(bytes(next));
        assertThat(all.subList(before + 2, all.size())).noneMatch(Segment::discontinuity);
    }

    @Test
    void aSegmentLargerThanTheBoundIsDroppedAndMemoryStaysBounded() throws Exception {
        HlsPolicy small = new HlsPolicy(Duration.ofSeconds(2), 6, 64 * 1024, Duration.ofSeconds(5));
        SegmentWindow window = new SegmentWindow(small, "t");
        Segmenter segmenter = new Segmenter(small, window, Clock.systemUTC());
        Random random = new Random(4);
        int at = 0;
        while (at < CLIP.length) {
            int n = Math.min(CLIP.length / PACKET - at / PACKET, 1 + random.nextInt(60));
            segmenter.write(Chunk.wrap(Arrays.copyOfRange(CLIP, at, at + n * PACKET)));
            at += n * PACKET;
            assertThat(segmenter.openBytes()).isLessThanOrEqualTo(64 * 1024 + 60 * PACKET);
        }
        // 2 s of the clip are about 425 KB: no segment fits in 64 KiB.
        assertThat(window.held()).isEmpty();
    }

    @Test
    void theWindowListsTheNewestSegmentsAndCountsDiscontinuitiesThatLeftIt() throws Exception {
        HlsPolicy policy = policy(3);
        SegmentWindow window = new SegmentWindow(policy, "t");
        java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 8; i++) {
            Chunk c = Chunk.wrap(Arrays.copyOf(CLIP, PACKET));
            window.publish(new Segment(i, i == 4 ? 3600 : 2000, t, i == 1 || i == 5, List.of(c), PACKET));
        }
        var playlist = window.awaitPlaylist(0).orElseThrow();
        assertThat(playlist.segments()).extracting(Segment::sequence).containsExactly(5L, 6L, 7L);
        assertThat(playlist.mediaSequence()).isEqualTo(5);
        // Segment 1's discontinuity left the window; segment 5's is listed.
        assertThat(playlist.discontinuitySequence()).isEqualTo(1);
        // A 3.6 s segment (now out of the list) raised the target to 4, and it stays there.
        assertThat(playlist.targetDurationSeconds()).isEqualTo(4);
        assertThat(window.held()).extracting(Segment::sequence).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(window.segment(2)).isEmpty();
        assertThat(window.segment(3)).isPresent();
        assertThat(window.segment(8)).isEmpty();
        String text = playlist.render(s -> "seg?n=" + s.sequence());
        assertThat(text).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:5
                #EXT-X-DISCONTINUITY-SEQUENCE:1
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00Z
                #EXTINF:2.000,
                seg?n=5
                #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00Z
                #EXTINF:2.000,
                seg?n=6
                #EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00Z
                #EXTINF:2.000,
                seg?n=7
                """);
    }
}
