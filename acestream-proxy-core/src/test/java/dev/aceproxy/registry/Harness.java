package dev.aceproxy.registry;

import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Fake engines, their clients and a registry with short timings; closes everything it made. */
final class Harness implements AutoCloseable {

    /**
     * Short timings: 5 s start, 1 s no data, 300 ms linger, 200 ms stats, keepalive after 1 s every 1 s. The
     * no-data timeout stays well above a loaded machine's scheduling hiccups, so no test sees a stall it did
     * not make.
     */
    static final SessionPolicy FAST = new SessionPolicy(Duration.ofSeconds(5), Duration.ofSeconds(1),
            Duration.ofMillis(300), Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(1));
    /** 50 ms doubling up to 200 ms, no jitter, 4 attempts per rung. */
    static final RetryPolicy FAST_RETRY = new RetryPolicy(Duration.ofMillis(50), 2.0, Duration.ofMillis(200), 0.0,
            4, Duration.ofSeconds(30));
    static final EnginePoolPolicy FAST_PROBES = new EnginePoolPolicy(Duration.ofMillis(100), 2);

    final List<FakeAceEngine> fakes = new ArrayList<>();
    final List<AceEngineClient> clients = new ArrayList<>();
    final ListenerLog events = new ListenerLog();
    final List<PacketRecorder> sinks = new java.util.concurrent.CopyOnWriteArrayList<>();
    StreamRegistry registry;

    static Harness start(int engines, Consumer<StreamRegistry.Builder> customize) throws IOException {
        return start(engines, b -> { }, customize);
    }

    static Harness start(int engines, Consumer<FakeAceEngine.Builder> engineSetup,
                         Consumer<StreamRegistry.Builder> customize) throws IOException {
        Harness h = new Harness();
        try {
            StreamRegistry.Builder b = StreamRegistry.newBuilder()
                    .sessionPolicy(FAST).retryPolicy(FAST_RETRY).enginePoolPolicy(FAST_PROBES).listener(h.events)
                    // Tests of other things may run hundreds of sinks; LimitsTest sets its own.
                    .limits(Limits.UNLIMITED);
            for (int i = 0; i < engines; i++) {
                FakeAceEngine.Builder eb = FakeAceEngine.builder();
                engineSetup.accept(eb);
                FakeAceEngine fake = eb.start();
                h.fakes.add(fake);
                AceEngineClient client = clientFor(fake).build();
                h.clients.add(client);
                b.engine(client);
            }
            customize.accept(b);
            h.registry = b.build();
            return h;
        } catch (IOException | RuntimeException e) {
            h.close();
            throw e;
        }
    }

    static AceEngineClient.Builder clientFor(FakeAceEngine fake) {
        return AceEngineClient.newBuilder().baseUri(fake.baseUri())
                .getstreamTimeout(Duration.ofSeconds(2)).stopTimeout(Duration.ofMillis(300))
                .statTimeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(1))
                .playbackHeadersTimeout(Duration.ofSeconds(3));
    }

    FakeAceEngine fake() {
        return fakes.get(0);
    }

    static ContentId content(int n) {
        return ContentId.id(String.format("%040x", n));
    }

    /** Subscribes the sink; {@link #assertNothingLeft()} checks its bytes with the oracle at the end. */
    Subscription subscribe(ContentId c, PacketRecorder sink) throws IOException, InterruptedException {
        sinks.add(sink);
        return registry.subscribe(c, Map.of(), sink, ClientInfo.anonymous());
    }

    /** Subscribes the sink with engine parameters; its bytes are checked at the end as above. */
    Subscription subscribe(ContentId c, Map<String, String> parameters, PacketRecorder sink)
            throws IOException, InterruptedException {
        sinks.add(sink);
        return registry.subscribe(c, parameters, sink, ClientInfo.anonymous());
    }

    /**
     * Lets each subscribed sink's bytes jump as often as the registry says it recovered (reconnects
     * and failovers so far); every jump must still land where a decoder can start. For tests that
     * make the engine fail; call it just before {@link #assertNothingLeft()}.
     */
    void allowRecoveriesAsCounted() {
        Totals t = registry.status().totals();
        int recoveries = Math.toIntExact(t.reconnects() + t.failovers());
        for (PacketRecorder sink : sinks) {
            sink.expecting(StreamExpectation.fromAnEntryPoint().allowingRecoveries(recoveries).allowingNoData());
        }
    }

    /** Shuts the registry down and checks that nothing it opened is left. */
    void assertNothingLeft() throws InterruptedException {
        assertNothingLeft(0);
    }

    /**
     * Shuts the registry down and checks that nothing it opened is left, and that every engine
     * session it asked for ended in a stop or was forgotten by its engine.
     *
     * @param failedGetstreams getstream calls the engines answered with an error (they start no session)
     */
    void assertNothingLeft(int failedGetstreams) throws InterruptedException {
        assertNothingLeftButSessions();
        for (FakeAceEngine f : fakes) {
            assertEveryEngineSessionEnded(f, failedGetstreams);
        }
    }

    /**
     * The engine-session accounting, right for an engine that keeps one session per content and
     * for one that starts a session per player id: every getstream that started a session ended in
     * exactly one stop or in the engine forgetting it, and no stop went to a session it forgot.
     * Call it before the engine closes (closing forgets every session).
     */
    static void assertEveryEngineSessionEnded(FakeAceEngine f, int failedGetstreams) {
        assertThat(f.getstreamCalls() - failedGetstreams).as("getstreams (%d failed) = stops + sessions forgotten"
                        + " (stops %d, forgotten %d) on %s", failedGetstreams, f.stopCalls(), f.sessionsForgotten(),
                f.baseUri())
                .isEqualTo(f.stopCalls() + f.sessionsForgotten());
        assertThat(f.sessionsStarted()).as("sessions started = stopped + forgotten (stopped %d, forgotten %d) on %s",
                        f.sessionsStopped(), f.sessionsForgotten(), f.baseUri())
                .isEqualTo(f.sessionsStopped() + f.sessionsForgotten());
    }

    /** Shuts the registry down and checks that no thread, connection or engine session is left. */
    void assertNothingLeftButSessions() throws InterruptedException {
        assertNothingLeftButSessions(0);
    }

    /**
     * Like {@link #assertNothingLeftButSessions()}, for a test whose engine swallowed stops (a
     * hanging stop answers nothing and leaves its session alive): that many sessions stay open.
     *
     * @param keptByEngine sessions the engine kept although they were stopped
     */
    void assertNothingLeftButSessions(int keptByEngine) throws InterruptedException {
        registry.shutdown(Duration.ofSeconds(5));
        assertThat(registry.liveThreads()).as("registry threads").isZero();
        assertThat(registry.status().sessions()).isEmpty();
        for (FakeAceEngine f : fakes) {
            Eventually.within(Duration.ofSeconds(3), "playback connections to close", () -> f.openPlaybackConnections() == 0);
            Eventually.within(Duration.ofSeconds(3), "engine sessions to stop", () -> f.openSessions() == keptByEngine);
        }
        for (PacketRecorder sink : sinks) {
            sink.assertFollowsSource();
        }
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
        for (AceEngineClient c : clients) {
            c.close();
        }
        for (FakeAceEngine f : fakes) {
            f.close();
        }
    }
}
