package dev.aceproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.jetty.playlist.PlaylistCatalog;
import dev.aceproxy.jetty.playlist.PlaylistSource;
import dev.aceproxy.registry.Channel;
import dev.aceproxy.registry.SessionState;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ace/getstream?channel=}: failover across a channel's alternates through the real HTTP
 * server, with the registry's production defaults and the fake engine's default (ragged, bursty)
 * writes. Every byte a player gets is checked against the source; every engine session the proxy
 * started is counted as stopped (or forgotten by an engine restart) at the end.
 */
@Timeout(90)
class ChannelFailoverTest {

    static final ContentId A = ContentId.id("0123456789abcdef0123456789abcdef01234567");
    static final ContentId B = ContentId.id("89abcdef0123456789abcdef0123456789abcdef");
    static final ContentId C = ContentId.id("fedcba9876543210fedcba9876543210fedcba98");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final long ENOUGH = 1L << 20;

    @TempDir
    Path dir;

    private static PlaylistFixture start(List<Channel> channels) throws IOException {
        return PlaylistFixture.start(PlaylistCatalog.newBuilder().channels(channels).build(), EndpointOptions.DEFAULT,
                Optional.empty());
    }

    @Test
    void whenTheFirstAlternateCannotBeLoadedThePlayerGetsTheSecondAtOnce() throws Exception {
        try (PlaylistFixture f = start(List.of(new Channel("sport", List.of(A, B))))) {
            f.engine.markUnavailable(A.hex());
            byte[] got;
            byte[] second;
            try (Playing player = Playing.open(f, "/ace/getstream?channel=sport")) {
                assertThat(player.awaitBytes(ENOUGH)).isTrue();
                SessionStatus session = channelSession(f, "sport");
                assertThat(session.content()).isEqualTo(B);
                assertThat(session.state()).isEqualTo(SessionState.STREAMING);
                assertThat(f.engine.openSessions()).as("one engine session: B's").isEqualTo(1);
                // A second player of the channel joins the same engine session.
                try (Playing other = Playing.open(f, "/ace/getstream?channel=sport")) {
                    assertThat(other.awaitBytes(ENOUGH)).isTrue();
                    assertThat(f.engine.openSessions()).isEqualTo(1);
                    assertThat(channelSession(f, "sport").clients()).hasSize(2);
                    second = other.bytes();
                }
                got = player.bytes();
            }
            // "At once": one getstream for the dead alternate, no retry and no backoff before the second.
            List<EngineEvent> events = events(f.engine);
            assertThat(getstreams(events, A)).isEqualTo(1);
            assertThat(getstreams(events, B)).isEqualTo(1);
            StreamOracle.ofBundledClip().verify(got, StreamExpectation.fromAnEntryPoint());
            StreamOracle.ofBundledClip().verify(second, StreamExpectation.fromAnEntryPoint());
            f.stopProxy();
            assertSessionsStoppedExactly(f.engine);
        }
    }

    @Test
    void hlsPlaysAChannelWhoseFirstAlternateCannotBeLoaded() throws Exception {
        try (PlaylistFixture f = start(List.of(new Channel("sport", List.of(A, B))))) {
            f.engine.markUnavailable(A.hex());
            HttpResponse<String> playlist = f.get("/ace/manifest.m3u8?channel=sport");
            assertThat(playlist.statusCode()).isEqualTo(200);
            List<String> segmentUris = playlist.body().lines().filter(line -> !line.startsWith("#")).toList();
            assertThat(segmentUris).as("the first playlist waits for three segments").hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(uri -> assertThat(uri).startsWith("hls-segment.ts?channel=sport&s="));
            for (String uri : segmentUris) {
                HttpResponse<byte[]> segment = f.http.send(java.net.http.HttpRequest.newBuilder(
                        f.uri("/ace/" + uri)).timeout(java.time.Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(segment.statusCode()).as(uri).isEqualTo(200);
                // Each segment alone is the source from an entry point (the tables and a keyframe).
                StreamOracle.ofBundledClip().verify(segment.body(), StreamExpectation.fromAnEntryPoint());
            }
            SessionStatus session = channelSession(f, "sport");
            assertThat(session.content()).as("B plays").isEqualTo(B);
            List<EngineEvent> events = events(f.engine);
            assertThat(getstreams(events, A)).isEqualTo(1);
            assertThat(getstreams(events, B)).isEqualTo(1);
            assertThat(f.get("/ace/hls-segment.ts?channel=nope&s=abc&n=1").statusCode()).isEqualTo(404);
            HttpResponse<String> both = f.get("/ace/hls-segment.ts?channel=sport&id=" + A.hex() + "&s=abc&n=1");
            assertThat(both.statusCode()).as("a segment of a channel and a content at once").isEqualTo(400);
            assertThat(both.body()).contains("\"missing_content\"");
            assertThat(f.get("/ace/manifest.m3u8?channel=sport&id=" + A.hex()).statusCode()).isEqualTo(400);
            f.stopProxy();
            assertSessionsStoppedExactly(f.engine);
        }
    }

    @Test
    void whenThePlayingAlternateDiesThePlayerContinuesOnTheNext() throws Exception {
        try (PlaylistFixture f = start(List.of(new Channel("sport", List.of(A, B))))) {
            byte[] got;
            long beforeFailover;
            try (Playing player = Playing.open(f, "/ace/getstream?channel=sport")) {
                assertThat(player.awaitBytes(ENOUGH)).isTrue();
                assertThat(channelSession(f, "sport").content()).isEqualTo(A);

                // A dies: the engine forgets its sessions and will not load A again.
                f.engine.markUnavailable(A.hex());
                f.engine.restart(Duration.ofMillis(100));
                Eventually.within(WAIT, "the failover to B", () -> f.registry.status().sessions().stream()
                        .anyMatch(s -> s.key().equals("channel:sport") && s.failovers() == 1 && s.content().equals(B)
                                && s.state() == SessionState.STREAMING));
                assertThat(f.engine.openSessions()).as("A's session is gone, B's is open").isEqualTo(1);
                beforeFailover = player.count();
                assertThat(player.awaitBytes(beforeFailover + ENOUGH)).as("B's bytes reach the same player").isTrue();
                assertThat(player.ended()).isFalse();
                got = player.bytes();
            }
            StreamOracle oracle = StreamOracle.ofBundledClip();
            // Up to the failover: one clean run of A. Then one jump, to B, entered cleanly.
            oracle.verify(java.util.Arrays.copyOf(got, (int) (ENOUGH - ENOUGH % 188)), StreamExpectation.fromAnEntryPoint());
            oracle.verify(got, StreamExpectation.fromAnEntryPoint().allowingRecoveries(1));
            f.stopProxy();
            assertThat(f.engine.sessionsOutstanding()).as("sessions left open on the engine").isZero();
            assertThat(f.engine.sessionsStarted())
                    .isEqualTo(f.engine.sessionsStopped() + f.engine.sessionsForgotten());
        }
    }

    @Test
    void whenEveryAlternateIsDeadTheAnswerIsAClearJsonError() throws Exception {
        try (PlaylistFixture f = start(List.of(new Channel("sport", List.of(A, B, C))))) {
            f.engine.markUnavailable(A.hex());
            f.engine.markUnavailable(B.hex());
            f.engine.markUnavailable(C.hex());
            HttpResponse<String> answer = f.get("/ace/getstream?channel=sport");
            assertThat(answer.statusCode()).isEqualTo(502);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/json"));
            assertThat(answer.body()).contains("\"channel_unavailable\"", "3 alternates");
            List<EngineEvent> events = events(f.engine);
            assertThat(getstreams(events, A)).isPositive();
            assertThat(getstreams(events, B)).isPositive();
            assertThat(getstreams(events, C)).isPositive();
            f.stopProxy();
            assertThat(f.engine.sessionsStarted()).as("a content that cannot load starts no session").isZero();
            assertSessionsStoppedExactly(f.engine);
        }
    }

    @Test
    void anUnknownChannelIs404AndHeadStartsNothing() throws Exception {
        try (PlaylistFixture f = start(List.of(new Channel("sport", List.of(A, B))))) {
            HttpResponse<String> unknown = f.get("/ace/getstream?channel=nope");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"unknown_channel\"");
            assertThat(f.get("/ace/getstream?channel=sport&id=" + A.hex()).statusCode()).isEqualTo(400);
            assertThat(f.get("/ace/getstream?channel=sport&url=http://x").statusCode()).isEqualTo(400);
            assertThat(f.get("/ace/getstream?channel=").statusCode()).isEqualTo(400);
            assertThat(f.get("/ace/manifest.m3u8?channel=nope").statusCode()).isEqualTo(404);
            assertThat(f.head("/ace/manifest.m3u8?channel=sport").statusCode()).isEqualTo(200);

            HttpResponse<String> head = f.head("/ace/getstream?channel=sport");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Type")).hasValue(StreamServlet.CONTENT_TYPE);
            assertThat(f.head("/ace/getstream?channel=nope").statusCode()).isEqualTo(404);
            assertThat(f.engine.getstreamCalls()).isZero();
        }
    }

    @Test
    void aTvgIdGroupOfAPlaylistPlaysAsAChannel() throws Exception {
        Path file = dir.resolve("tv.m3u");
        Files.writeString(file, "#EXTM3U\n#EXTINF:-1 tvg-id=\"one.uk\",One\nacestream://" + A.hex()
                + "\n#EXTINF:-1 tvg-id=\"one.uk\",One backup\nacestream://" + B.hex() + "\n", StandardCharsets.UTF_8);
        PlaylistCatalog catalog = PlaylistCatalog.newBuilder().source(new PlaylistSource("tv", file.toUri())).build();
        try (PlaylistFixture f = PlaylistFixture.start(catalog, EndpointOptions.DEFAULT, Optional.empty())) {
            String grouped = f.get("/playlists/tv.m3u?group=tvg-id").body();
            String url = grouped.lines().filter(l -> l.startsWith("http")).findFirst().orElseThrow();
            assertThat(url).isEqualTo(f.server.baseUri() + "/ace/getstream?channel=tv%3Aone.uk");
            f.engine.markUnavailable(A.hex());
            byte[] got;
            try (Playing player = Playing.open(f, url.substring(f.server.baseUri().toString().length()))) {
                assertThat(player.awaitBytes(ENOUGH)).isTrue();
                assertThat(channelSession(f, "tv:one.uk").content()).isEqualTo(B);
                got = player.bytes();
            }
            StreamOracle.ofBundledClip().verify(got, StreamExpectation.fromAnEntryPoint());
            f.stopProxy();
            assertSessionsStoppedExactly(f.engine);
        }
    }

    private static SessionStatus channelSession(PlaylistFixture f, String channel) {
        return f.registry.status().sessions().stream().filter(s -> s.channel().equals(Optional.of(channel)))
                .findFirst().orElseThrow();
    }

    /** Takes every event the engine has queued, in order. */
    private static List<EngineEvent> events(FakeAceEngine engine) throws InterruptedException {
        List<EngineEvent> events = new java.util.ArrayList<>();
        EngineEvent e;
        while ((e = engine.takeEvent(Duration.ZERO)) != null) {
            events.add(e);
        }
        return events;
    }

    /** Counts the getstream calls for one content among the events. */
    private static long getstreams(List<EngineEvent> events, ContentId content) {
        String infohash = FakeAceEngine.infohashOf(content.hex());
        return events.stream().filter(e -> e.kind() == EngineEvent.Kind.GETSTREAM && infohash.equals(e.infohash()))
                .count();
    }

    private static void assertSessionsStoppedExactly(FakeAceEngine engine) {
        assertThat(engine.sessionsForgotten()).isZero();
        assertThat(engine.sessionsStarted()).as("sessions started = stopped").isEqualTo(engine.sessionsStopped());
        assertThat(engine.sessionsOutstanding()).isZero();
    }


    /** A player reading one stream on a virtual thread, keeping every byte. */
    static final class Playing implements AutoCloseable {
        private final InputStream body;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread reader;
        private volatile boolean ended;

        private Playing(InputStream body) {
            this.body = body;
            this.reader = Thread.ofVirtual().name("channel-player").start(this::read);
        }

        static Playing open(PlaylistFixture f, String target) throws IOException, InterruptedException {
            HttpResponse<InputStream> answer = f.http.send(HttpRequest.newBuilder(f.uri(target))
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofInputStream());
            if (answer.statusCode() != 200) {
                String text = new String(answer.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new IOException("not a stream: " + answer.statusCode() + " " + text);
            }
            assertThat(answer.headers().firstValue("Content-Type")).hasValue(StreamServlet.CONTENT_TYPE);
            return new Playing(answer.body());
        }

        private void read() {
            byte[] buffer = new byte[64 * 1024];
            try {
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    synchronized (kept) {
                        kept.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // closed by the test, or the stream was cut: ended says so
            } finally {
                ended = true;
            }
        }

        long count() {
            synchronized (kept) {
                return kept.size();
            }
        }

        boolean ended() {
            return ended;
        }

        boolean awaitBytes(long atLeast) throws InterruptedException {
            Eventually.within(WAIT, "at least " + atLeast + " bytes, or the end of the stream",
                    () -> count() >= atLeast || ended);
            return count() >= atLeast;
        }

        /**
         * The whole packets received so far. The reader goes on while a test looks, and the
         * client's reads end anywhere in a packet, so the last one may be only partly here; its
         * rest is still on the way, not missing. (A capture that ended 126 bytes into a packet
         * failed the oracle's packet grid once; those 126 bytes were the source's next packet.)
         */
        byte[] bytes() {
            byte[] all;
            synchronized (kept) {
                all = kept.toByteArray();
            }
            return java.util.Arrays.copyOf(all, all.length - all.length % 188);
        }

        @Override
        public void close() throws IOException {
            body.close();
            try {
                reader.join(WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
