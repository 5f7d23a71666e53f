package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.HlsFixture.ID;
import static dev.aceproxy.jetty.HlsFixture.MANIFEST;
import static dev.aceproxy.jetty.TsAssertions.PACKET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.jetty.HlsFixture.Entry;
import dev.aceproxy.jetty.HlsFixture.Playlist;
import dev.aceproxy.registry.Limits;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.testkit.EngineEvent;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.FakeAceEngine;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import dev.aceproxy.testkit.oracle.StreamOracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HlsEndpointTest {

    private static final int VIDEO_PID = 256;
    private static final String VIEWER_A = "hls-viewer-a";
    private static final String VIEWER_B = "hls-viewer-b";
    private static final Duration POLL = Duration.ofMillis(250);

    /** A TS player's body, read on its own thread into memory. */
    private static final class TsPlayer implements AutoCloseable {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final InputStream body;
        private final Thread reader;

        TsPlayer(HlsFixture f) throws IOException, InterruptedException {
            HttpResponse<InputStream> r = f.http.send(HttpRequest.newBuilder(f.uri("/ace/getstream?id=" + ID)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            body = r.body();
            reader = Thread.ofVirtual().start(() -> {
                byte[] buffer = new byte[64 * 1024];
                try {
                    for (int n; (n = body.read(buffer)) > 0; ) {
                        synchronized (bytes) {
                            bytes.write(buffer, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
        }

        byte[] bytes() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
            reader.interrupt();
        }
    }

    /** Polls the playlist as a viewer and fetches every segment from the first listed on, in order. */
    private static List<byte[]> collect(HlsFixture f, String viewer, int count, List<Entry> entries)
            throws Exception {
        List<byte[]> segments = new ArrayList<>();
        long next = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (segments.size() < count) {
            assertThat(System.nanoTime()).as("%d segments in time", count).isLessThan(deadline);
            Playlist p = f.playlist(viewer);
            for (Entry e : p.entries()) {
                if (next < 0) {
                    next = e.sequence();
                }
                if (e.sequence() < next) {
                    continue;
                }
                assertThat(e.sequence()).as("no segment skipped").isEqualTo(next);
                HttpResponse<byte[]> r = f.segment(e.uri(), viewer);
                assertThat(r.statusCode()).as("segment %d", e.sequence()).isEqualTo(200);
                assertThat(r.headers().firstValue("Cache-Control")).hasValue(HlsServlet.SEGMENT_CACHE_CONTROL);
                assertThat(r.headers().firstValue("Content-Type")).hasValue(StreamServlet.CONTENT_TYPE);
                segments.add(r.body());
                entries.add(e);
                next++;
                if (segments.size() == count) {
                    break;
                }
            }
            Thread.sleep(POLL.toMillis()); // the viewer refreshes its playlist at a player's pace (the scenario)
        }
        return segments;
    }

    /** The index of the playlist's last entry that follows a discontinuity, or -1. */
    private static int lastDiscontinuity(Playlist p) {
        int at = -1;
        for (int i = 0; i < p.entries().size(); i++) {
            if (p.entries().get(i).discontinuity()) {
                at = i;
            }
        }
        return at;
    }

    private static boolean equalAt(byte[] ts, int at, byte[] segment, int from) {
        int length = segment.length - from;
        return at >= 0 && at + length <= ts.length
                && java.util.Arrays.equals(ts, at, at + length, segment, from, segment.length);
    }

    /** Waits until the TS player read past the segments' span (it reads the same chunks, live). */
    private static byte[] awaitTsBytes(TsPlayer ts, List<byte[]> segments) throws InterruptedException {
        long total = 0;
        for (byte[] s : segments) {
            total += s.length;
        }
        byte[] last = segments.get(segments.size() - 1);
        long spanBytes = total;
        return Eventually.within(Duration.ofSeconds(10), Duration.ofMillis(100),
                "the TS player past the segments' span (" + spanBytes + " bytes and the last segment's tail)",
                ts::bytes, bytes -> bytes.length >= spanBytes && TsAssertions.indexOf(bytes, tail(last), 4 * PACKET) >= 0);
    }

    private static byte[] tail(byte[] segment) {
        return java.util.Arrays.copyOfRange(segment, segment.length - 4 * PACKET, segment.length);
    }

    @Test
    void segmentsAreTheSharedStreamCutAtKeyframesAndOneEngineSessionServesBoth() throws Exception {
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy()); TsPlayer ts = new TsPlayer(f)) {
            List<Entry> entries = new ArrayList<>();
            List<byte[]> segments = collect(f, VIEWER_A, 5, entries);

            for (int i = 0; i < segments.size(); i++) {
                TsAssertions.assertStartsWithTablesAndKeyframe(segments.get(i), VIDEO_PID, "segment " + i);
                assertThat(entries.get(i).discontinuity()).isFalse();
                // Keyframes are 1 s apart in the clip: a 2 s target gives 2 s segments.
                assertThat(entries.get(i).duration()).as("segment %d's duration", i).isBetween(1.9, 2.1);
            }
            Playlist last = f.playlist(VIEWER_A);
            assertThat(last.targetDuration()).isEqualTo(2);
            assertThat(last.text()).contains("#EXT-X-VERSION:3\n");

            for (int i = 0; i < segments.size(); i++) {
                // Each segment alone: the source from an entry point (the tables and a keyframe).
                StreamOracle.ofBundledClip().verify(segments.get(i), StreamExpectation.fromAnEntryPoint());
            }

            // From the second segment on (the first starts with the join's copied tables), the
            // segments are exactly the TS player's bytes over the same span. The one thing a
            // segment may add is a copy of the PAT and PMT before its keyframe, where the stream
            // had no tables right before that keyframe (the clip's loop seam).
            byte[] tsBytes = awaitTsBytes(ts, segments);
            int tables = 2 * PACKET;
            int at = TsAssertions.indexOf(tsBytes, segments.get(1), 10 * PACKET);
            if (at < 0) {
                at = TsAssertions.indexOf(java.util.Arrays.copyOfRange(tsBytes, 0, tsBytes.length),
                        java.util.Arrays.copyOfRange(segments.get(1), tables, segments.get(1).length), 10 * PACKET);
            }
            assertThat(at).as("segment 1's start in the TS player's bytes").isNotNegative();
            ByteArrayOutputStream stripped = new ByteArrayOutputStream();
            stripped.writeBytes(segments.get(0));
            int prefixed = 0;
            for (int i = 1; i < segments.size(); i++) {
                byte[] seg = segments.get(i);
                if (equalAt(tsBytes, at, seg, 0)) {
                    at += seg.length;
                    stripped.writeBytes(seg);
                } else {
                    assertThat(equalAt(tsBytes, at, seg, tables))
                            .as("segment %d equals the TS bytes, after a copy of the tables at most", i).isTrue();
                    prefixed++;
                    at += seg.length - tables;
                    stripped.write(seg, tables, seg.length - tables);
                }
            }
            // Without the copied tables, the segments in order are the source from an entry point.
            StreamOracle.ofBundledClip().verify(stripped.toByteArray(), StreamExpectation.fromAnEntryPoint());
            assertThat(prefixed).as("segments that needed copied tables").isLessThanOrEqualTo(2);

            // One engine session for both.
            assertThat(f.engine.getstreamCalls()).isEqualTo(1);
            assertThat(f.engine.playbackOpens()).isEqualTo(1);
            assertThat(f.engine.sessionsStarted()).isEqualTo(1);
        }
    }

    @Test
    void tsPlayersAndHlsViewersCountAsPlayersOfOneEngineSession() throws Exception {
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy())) {
            try (TsPlayer ts = new TsPlayer(f)) {
                Playlist a = f.playlist(VIEWER_A);
                Playlist b = f.playlist(VIEWER_B);
                assertThat(f.segment(a.last().uri(), VIEWER_A).statusCode()).isEqualTo(200);
                assertThat(f.segment(b.last().uri(), VIEWER_B).statusCode()).isEqualTo(200);

                assertThat(f.engine.getstreamCalls()).isEqualTo(1);
                assertThat(f.engine.playbackOpens()).isEqualTo(1);
                SessionStatus session = f.registry.status().sessions().get(0);
                // The TS player, the segmenter (standing for viewer A) and viewer B's place.
                assertThat(session.clients()).hasSize(3);
                assertThat(session.clients()).filteredOn(c -> c.userAgent().orElse("").startsWith("HLS "))
                        .hasSize(2);

                String streams = f.get("/api/v1/streams", "test").body();
                assertThat(streams).contains("\"hls\":[{\"content\":").contains("\"viewers\":2");
                String metrics = f.get("/metrics", "test").body();
                assertThat(metrics).contains("aceproxy_hls_sessions 1").contains("aceproxy_hls_viewers 2")
                        .contains("aceproxy_hls_session_segments{");
            }
            // Nobody fetches any more: after three target durations the viewers no longer count,
            // the HLS session leaves, and with no linger the engine session stops.
            EngineEvent stop = f.engine.awaitEvent(EngineEvent.Kind.SESSION_STOPPED, Duration.ofSeconds(20));
            assertThat(stop).as("engine session stopped after the viewers went idle").isNotNull();
            assertThat(f.get("/api/v1/streams", "test").body()).contains("\"hls\":[]");
        }
    }

    @Test
    void idleViewersAreRetiredAgainAfterTheSweepsStoppedForWantOfSessions() throws Exception {
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy())) {
            for (int round = 1; round <= 2; round++) {
                Playlist playlist = f.playlist(VIEWER_A);
                assertThat(f.segment(playlist.last().uri(), VIEWER_A).statusCode()).isEqualTo(200);
                // Nobody fetches any more: the sweeps retire the viewer and the session ends; once
                // there is no session they stop, and a new session must start them again.
                EngineEvent stop = f.engine.awaitEvent(EngineEvent.Kind.SESSION_STOPPED, Duration.ofSeconds(20));
                assertThat(stop).as("round %d: engine session stopped after the viewer went idle", round).isNotNull();
                Eventually.within(Duration.ofSeconds(5), Duration.ofMillis(100), "round " + round + ": no HLS session",
                        () -> f.get("/api/v1/streams", "test").body(), body -> body.contains("\"hls\":[]"));
            }
            assertThat(f.engine.getstreamCalls()).isEqualTo(2);
        }
    }

    @Test
    void eachHlsViewerCountsAgainstTheLimitsAsAPlayer() throws Exception {
        Limits twoPerStream = new Limits(0, 2, 0, Duration.ofSeconds(7));
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy(), EndpointOptions.DEFAULT, twoPerStream);
             TsPlayer ts = new TsPlayer(f)) {
            assertThat(f.playlist(VIEWER_A).entries()).isNotEmpty();
            // Viewer A again is the same viewer: no new place taken.
            assertThat(f.playlist(VIEWER_A).entries()).isNotEmpty();
            HttpResponse<String> third = f.get(MANIFEST, VIEWER_B);
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.body()).contains("\"error\":\"limit_reached\"");
            assertThat(third.headers().firstValue("Retry-After")).hasValue("7");
            assertThat(f.registry.status().sessions().get(0).clients()).hasSize(2);
            assertThat(f.engine.getstreamCalls()).isEqualTo(1);
        }
    }

    @Test
    void theFirstPlaylistListsThreeSegmentsSoThatPlayersStartBehindTheLiveEdge() throws Exception {
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy())) {
            // The HLS specification has a player start three target durations from the end of
            // the playlist; with fewer segments listed it would start right at the live edge.
            assertThat(f.playlist(VIEWER_A).entries()).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aLateViewerStartsAtTheNewestSegments() throws Exception {
        HlsPolicy policy = HlsFixture.testPolicy().withTargetDuration(Duration.ofSeconds(1)).withWindowSegments(3);
        try (HlsFixture f = HlsFixture.start(policy)) {
            Playlist first = f.playlist(VIEWER_A);
            String oldest = first.entries().get(0).uri();
            Playlist a = Eventually.within(Duration.ofSeconds(40), POLL, "segment 6 in the playlist",
                    () -> f.playlist(VIEWER_A), p -> p.last().sequence() >= 6);
            Playlist late = f.playlist(VIEWER_B);
            assertThat(late.entries()).hasSize(3);
            assertThat(late.mediaSequence()).isGreaterThanOrEqualTo(a.mediaSequence()).isPositive();
            assertThat(late.last().sequence()).isGreaterThanOrEqualTo(a.last().sequence());
            HttpResponse<byte[]> start = f.segment(late.entries().get(0).uri(), VIEWER_B);
            assertThat(start.statusCode()).isEqualTo(200);
            TsAssertions.assertStartsWithTablesAndKeyframe(start.body(), VIDEO_PID, "late viewer's first segment");

            // The first segment left the window and its retained tail: 404 with a JSON body.
            HttpResponse<byte[]> gone = f.segment(oldest, VIEWER_B);
            assertThat(gone.statusCode()).isEqualTo(404);
            assertThat(new String(gone.body())).contains("\"error\":\"segment_not_found\"");
            assertThat(f.engine.getstreamCalls()).isEqualTo(1);
        }
    }

    @Test
    void anEngineCutGivesADiscontinuityAndPlaybackGoesOn() throws Exception {
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            Eventually.within(Duration.ofSeconds(40), POLL, "segment 1 in the playlist",
                    () -> f.playlist(VIEWER_A), q -> q.last().sequence() >= 1);
            f.engine.cutPlaybacks();
            Playlist p = Eventually.within(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())), POLL,
                    "a discontinuity and two segments after it", () -> f.playlist(VIEWER_A),
                    q -> lastDiscontinuity(q) >= 0 && q.entries().size() - lastDiscontinuity(q) >= 2);
            int cutAt = lastDiscontinuity(p);
            assertThat(p.text()).contains("#EXT-X-DISCONTINUITY\n");
            for (int i = cutAt; i < p.entries().size(); i++) {
                HttpResponse<byte[]> r = f.segment(p.entries().get(i).uri(), VIEWER_A);
                assertThat(r.statusCode()).isEqualTo(200);
                TsAssertions.assertStartsWithTablesAndKeyframe(r.body(), VIDEO_PID, "segment after the cut " + i);
                StreamOracle.ofBundledClip().verify(r.body(), StreamExpectation.fromAnEntryPoint());
            }
            assertThat(f.registry.status().totals().reconnects()).isPositive();
            String streams = f.get("/api/v1/streams", "test").body();
            assertThat(streams).contains("\"discontinuities\":1");
        }
    }

    @Test
    void badRequestsAndHeadNeverTouchTheEngine() throws Exception {
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy())) {
            HttpResponse<String> missing = f.get("/ace/manifest.m3u8", VIEWER_A);
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(missing.body()).contains("\"error\":\"missing_content\"");
            assertThat(f.get(MANIFEST + "&url=http://example.com/x", VIEWER_A).body())
                    .contains("\"error\":\"parameter_refused\"");
            assertThat(f.get(MANIFEST + "&what=1", VIEWER_A).body()).contains("\"error\":\"unknown_parameter\"");
            HttpResponse<String> post = f.http.send(HttpRequest.newBuilder(f.uri(MANIFEST))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            HttpResponse<String> head = f.http.send(HttpRequest.newBuilder(f.uri(MANIFEST))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith(HlsServlet.PLAYLIST_TYPE));
            HttpResponse<String> segment = f.get("/ace/hls-segment.ts?id=" + ID + "&s=abc&n=3", VIEWER_A);
            assertThat(segment.statusCode()).isEqualTo(404);
            assertThat(segment.body()).contains("\"error\":\"segment_not_found\"");
            assertThat(f.get("/ace/hls-segment.ts?id=" + ID + "&s=abc&n=x", VIEWER_A).body())
                    .contains("\"error\":\"invalid_parameter\"");
            assertThat(f.get("/ace/hls-segment.ts?id=" + ID + "&s=abc&n=1&url=x", VIEWER_A).body())
                    .contains("\"error\":\"unknown_parameter\"");
            assertThat(f.engine.getstreamCalls()).isZero();
        }
    }

    @Test
    void aPlaylistWaitsForTheFirstSegmentUpToTheStartTimeoutThen504() throws Exception {
        // The clip with its video packets blanked into null packets: a stream, but no keyframe.
        byte[] clip = FakeAceEngine.bundledClip();
        for (int at = 0; at < clip.length; at += PACKET) {
            if (TsAssertions.pid(clip, at) == VIDEO_PID) {
                clip[at + 1] = 0x1F;
                clip[at + 2] = (byte) 0xFF;
            }
        }
        HlsPolicy policy = HlsFixture.testPolicy().withStartTimeout(Duration.ofSeconds(3));
        try (HlsFixture f = HlsFixture.start(FakeAceEngine.builder().clip(clip).start(), policy,
                EndpointOptions.DEFAULT, Limits.UNLIMITED)) {
            long started = System.nanoTime();
            HttpResponse<String> r = f.get(MANIFEST, VIEWER_A);
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(504);
            // The body names the problem only; the detail ("no HLS segment within 3000 ms") is logged.
            assertThat(r.body()).contains("\"error\":\"engine_timeout\"");
            // It waited for a segment (the stream itself started at once) until the start timeout.
            assertThat(waitedMillis).isGreaterThanOrEqualTo(3000);
            assertThat(f.engine.getstreamCalls()).isEqualTo(1);
        }
    }

    @Test
    void engineFailuresMapAsForGetstream() throws Exception {
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy())) {
            f.engine.markUnavailable(ID);
            HttpResponse<String> r = f.get(MANIFEST, VIEWER_A);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("\"error\":\"content_unavailable\"");
            f.engine.clearFaults();
            assertThat(f.playlist(VIEWER_A).entries()).isNotEmpty();
        }
    }

    @Test
    void withATokenSegmentUrisCarryIt() throws Exception {
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy(), EndpointOptions.DEFAULT.withAccessToken("s3cret-0123456789"))) {
            assertThat(f.get(MANIFEST, VIEWER_A).statusCode()).isEqualTo(401);
            HttpResponse<String> r = f.get(MANIFEST + "&token=s3cret-0123456789", VIEWER_A);
            assertThat(r.statusCode()).isEqualTo(200);
            Playlist p = Playlist.parse(r.body());
            for (Entry e : p.entries()) {
                assertThat(e.uri()).startsWith("hls-segment.ts?id=" + ID + "&s=").endsWith("&token=s3cret-0123456789");
            }
            HttpResponse<byte[]> segment = f.http.send(HttpRequest.newBuilder(
                    f.uri(MANIFEST + "&token=s3cret-0123456789").resolve(p.last().uri())).header("User-Agent", VIEWER_A).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(segment.statusCode()).isEqualTo(200);
            TsAssertions.assertStartsWithTablesAndKeyframe(segment.body(), VIDEO_PID, "segment with a token");
            HttpResponse<String> head = f.http.send(HttpRequest.newBuilder(
                    f.uri(MANIFEST + "&token=s3cret-0123456789").resolve(p.last().uri())).header("User-Agent", VIEWER_A)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(segment.body().length);
            assertThat(head.headers().firstValue("Cache-Control")).hasValue(HlsServlet.SEGMENT_CACHE_CONTROL);
        }
    }
}
