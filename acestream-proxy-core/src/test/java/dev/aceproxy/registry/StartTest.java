package dev.aceproxy.registry;

import static dev.aceproxy.registry.Harness.content;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineTimeoutException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.fanout.EndReason;
import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.ts.TsPackets;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StartTest {

    @Test
    void aSubscriberReceivesPacketAlignedDataStartingWithTheProgramTables() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            Subscription sub = h.subscribe(content(1), sink);
            assertThat(sink.awaitBytes(100 * TsPackets.PACKET_SIZE, Duration.ofSeconds(5))).isTrue();
            assertThat(sink.misalignedPackets()).isZero();
            assertThat(sub.sessionKey()).isEqualTo("id=" + content(1).hex());
            assertThat(sub.content()).isEqualTo(content(1));
            // The writer counts a chunk once the sink's write has returned, a moment after the sink saw it.
            Eventually.within(Duration.ofSeconds(2), "the writer counted a written chunk",
                    () -> sub.stats().bytesWritten() > 0);

            SessionStatus st = h.registry.status(content(1)).orElseThrow();
            assertThat(st.state()).isEqualTo(SessionState.STREAMING);
            assertThat(st.clients()).hasSize(1);
            assertThat(st.infohash()).isPresent();
            assertThat(st.engine()).isEqualTo(h.fake().baseUri());
            assertThat(h.events.lines()).contains("state id=" + content(1).hex() + " STARTING->STREAMING",
                    "joined id=" + content(1).hex());

            sub.close();
            assertThat(sub.ended().get(2, TimeUnit.SECONDS).reason()).isEqualTo(EndReason.REMOVED);
            assertThat(sink.isClosed()).isTrue();
            h.assertNothingLeft();
        }
    }

    @Test
    void unknownContentFailsWithContentUnavailable() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            h.fake().markUnavailable(content(2).hex());
            PacketRecorder sink = new PacketRecorder();
            assertThatThrownBy(() -> h.subscribe(content(2), sink)).isInstanceOf(ContentUnavailableException.class);
            assertThat(sink.isClosed()).as("the caller keeps its sink").isFalse();
            Eventually.within(Duration.ofSeconds(2), "session to be gone",
                    () -> h.registry.status().sessions().isEmpty());
            assertThat(h.events.lines()).contains("state id=" + content(2).hex() + " STARTING->FAILED");
            h.assertNothingLeft(1);
        }
    }

    @Test
    void anEngineThatCannotBeReachedFailsWithEngineUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (AceEngineClient dead = AceEngineClient.newBuilder().baseUri(URI.create("http://127.0.0.1:" + port))
                .connectTimeout(Duration.ofSeconds(1)).build();
             StreamRegistry registry = StreamRegistry.newBuilder().engine(dead).retryPolicy(Harness.FAST_RETRY)
                     .enginePoolPolicy(new EnginePoolPolicy(Duration.ofSeconds(30), 3)).build()) {
            assertThatThrownBy(() -> registry.subscribe(content(3), Map.of(), new PacketRecorder(),
                    ClientInfo.anonymous())).isInstanceOf(EngineUnavailableException.class);
            registry.shutdown(Duration.ofSeconds(3));
            assertThat(registry.liveThreads()).isZero();
        }
    }

    @Test
    void aColdEngineSlowerThanTheStartTimeoutFailsWithEngineTimeout() throws Exception {
        try (Harness h = Harness.start(1, e -> e.prebufferDelay(Duration.ofSeconds(3)),
                b -> b.sessionPolicy(Harness.FAST.withStartTimeout(Duration.ofMillis(500))))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> h.subscribe(content(4), new PacketRecorder()))
                    .isInstanceOf(EngineTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            h.assertNothingLeft();
        }
    }

    @Test
    void aSlowPrebufferWithinTheStartTimeoutMakesSubscribersWait() throws Exception {
        try (Harness h = Harness.start(1, e -> e.prebufferDelay(Duration.ofMillis(600)), b -> { })) {
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(5), sink);
            assertThat(sink.awaitBytes(1, Duration.ofSeconds(2))).isTrue();
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            h.assertNothingLeft();
        }
    }

    @Test
    void anEngineStillWarmingUpIsRetriedWithinTheStartTimeout() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            h.fake().warmUpEmptyPlaybacks(3);
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(6), sink);
            assertThat(sink.awaitBytes(1, Duration.ofSeconds(2))).isTrue();
            assertThat(h.fake().playbackOpens()).isEqualTo(4);
            assertThat(h.fake().getstreamCalls()).as("each retry reopens the same engine session").isEqualTo(1);
            assertThat(h.fake().stopCalls()).isZero();
            h.assertNothingLeft();
        }
    }

    @Test
    void aStartWhoseOnlyEngineRefusesFailsAtOnceAndStartsAgainOnceItAnswers() throws Exception {
        // backoffs far longer than the bound below: a start that waited would miss it
        RetryPolicy retry = new RetryPolicy(Duration.ofSeconds(20), 2.0, Duration.ofSeconds(20), 0.0, 3,
                Duration.ofSeconds(30));
        try (Harness h = Harness.start(1, b -> b.retryPolicy(retry)
                .enginePoolPolicy(new EnginePoolPolicy(Duration.ofMillis(200), 3)))) {
            URI uri = h.fake().baseUri();
            h.fake().restart(Duration.ofSeconds(2));
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> h.subscribe(content(10), new PacketRecorder()))
                            .isInstanceOf(EngineUnavailableException.class)
                            .hasMessageContaining("refused the connection"));
            assertThat(h.events.lines()).contains("engine " + uri + " unhealthy");
            assertThat(h.registry.readiness().ready()).isFalse();
            assertThat(h.registry.readiness().reason()).isEqualTo("no healthy engine");
            assertThat(h.events.await("engine " + uri + " healthy", Duration.ofSeconds(10))).isTrue();
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(10), sink);
            assertThat(sink.awaitBytes(1, Duration.ofSeconds(2))).isTrue();
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            h.assertNothingLeft();
        }
    }

    @Test
    void aChannelWhoseFirstContentIsUnavailableStartsOnTheNext() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            ContentId a = content(7);
            ContentId b = content(8);
            h.fake().markUnavailable(a.hex());
            PacketRecorder sink = new PacketRecorder();
            Subscription sub = h.registry.subscribe(Channel.of("news", a, b), Map.of(), sink, ClientInfo.anonymous());
            assertThat(sub.sessionKey()).isEqualTo("channel:news");
            assertThat(sub.content()).isEqualTo(b);
            assertThat(sink.awaitBytes(1, Duration.ofSeconds(2))).isTrue();
            assertThat(h.registry.status(b).orElseThrow().channel()).contains("news");
            h.assertNothingLeft(1);
        }
    }

    @Test
    void aDirectSubscriberOfAContentThatAChannelPlaysJoinsTheChannelsSession() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            ContentId a = content(10);
            ContentId b = content(11);
            h.registry.subscribe(Channel.of("movies", a, b), Map.of(), new PacketRecorder(), ClientInfo.anonymous());
            PacketRecorder sink = new PacketRecorder();
            Subscription direct = h.subscribe(a, sink);
            assertThat(direct.sessionKey()).isEqualTo("channel:movies");
            assertThat(sink.awaitBytes(1, Duration.ofSeconds(2))).isTrue();
            assertThat(h.fake().getstreamCalls()).isEqualTo(1);
            assertThat(h.fake().secondReaderAttempts()).isZero();
            assertThat(h.registry.status(a).orElseThrow().clients()).hasSize(2);
            h.assertNothingLeft();
        }
    }

    @Test
    void aBlockedClientIsEvictedWithoutHurtingTheOthers() throws Exception {
        try (Harness h = Harness.start(1, b -> b.playerPolicy(
                dev.aceproxy.fanout.PlayerPolicy.DEFAULT.withStallTimeout(Duration.ofMillis(300))))) {
            BlockingSink stuck = new BlockingSink();
            Subscription blocked = h.registry.subscribe(content(12), Map.of(), stuck, ClientInfo.anonymous());
            PacketRecorder sink = new PacketRecorder();
            h.subscribe(content(12), sink);
            assertThat(blocked.ended().get(5, TimeUnit.SECONDS).reason()).isEqualTo(EndReason.STALLED);
            long now = sink.bytes();
            assertThat(sink.awaitBytes(now + 20_000, Duration.ofSeconds(5))).isTrue();
            assertThat(h.registry.status().totals().evictions()).isEqualTo(1);
            assertThat(h.registry.status(content(12)).orElseThrow().clients()).hasSize(1);
            h.assertNothingLeft();
        }
    }

    @Test
    void aParameterOffTheAllowListIsRefused() throws Exception {
        try (Harness h = Harness.start(1, b -> { })) {
            assertThatThrownBy(() -> h.registry.subscribe(content(9), Map.of("url", "http://x"), new PacketRecorder(),
                    ClientInfo.anonymous())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url");
            PacketRecorder sink = new PacketRecorder();
            h.registry.subscribe(content(9), Map.of("transcode_audio", "1"), sink, ClientInfo.anonymous());
            assertThat(sink.awaitBytes(1, Duration.ofSeconds(2))).isTrue();
            h.assertNothingLeft();
        }
    }
}
