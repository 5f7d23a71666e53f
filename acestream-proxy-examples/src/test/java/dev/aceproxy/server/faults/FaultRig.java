package dev.aceproxy.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.fanout.OverflowPolicy;
import dev.aceproxy.fanout.PlayerPolicy;
import dev.aceproxy.jetty.AceProxyHttpServer;
import dev.aceproxy.registry.EnginePoolPolicy;
import dev.aceproxy.registry.Limits;
import dev.aceproxy.registry.RetryPolicy;
import dev.aceproxy.registry.SessionPolicy;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The real HTTP server, registry and engine client in front of a fake engine, all on loopback,
 * with the policies scaled down (no-data timeout 2 s instead of 15 s, backoff capped at 400 ms
 * instead of 8 s) so that each fault plays out in a few seconds. The timeouts stay well above a
 * loaded machine's scheduling hiccups, so that no test sees a fault it did not make.
 */
final class FaultRig implements AutoCloseable {

    static final String ID_A = "0123456789abcdef0123456789abcdef01234567";
    static final String ID_B = "89abcdef0123456789abcdef0123456789abcdef";
    static final String ID_C = "fedcba9876543210fedcba9876543210fedcba98";

    /** The no-data timeout of the scaled policies (15 s by default). */
    static final Duration NO_DATA_TIMEOUT = Duration.ofSeconds(2);
    /** The engine client's stop timeout (3 s by default). */
    static final Duration STOP_TIMEOUT = Duration.ofMillis(500);

    static final SessionPolicy SESSIONS = new SessionPolicy(Duration.ofSeconds(4), NO_DATA_TIMEOUT, Duration.ZERO,
            Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(300));
    static final RetryPolicy RETRIES = new RetryPolicy(Duration.ofMillis(50), 2.0, Duration.ofMillis(400), 0.0, 8,
            Duration.ofSeconds(30));
    static final PlayerPolicy WRITERS = new PlayerPolicy(1L << 20, OverflowPolicy.DISCONNECT, Duration.ofSeconds(5));

    final FakeAceEngine engine;
    final AceEngineClient client;
    final StreamRegistry registry;
    final AceProxyHttpServer server;
    private volatile int failedGetstreams;
    private volatile boolean stopsHang;

    private FaultRig(FakeAceEngine engine, UnaryOperator<StreamRegistry.Builder> registrySetup) throws IOException {
        this.engine = engine;
        this.client = AceEngineClient.newBuilder().baseUri(engine.baseUri())
                .getstreamTimeout(Duration.ofSeconds(2)).stopTimeout(STOP_TIMEOUT)
                .statTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofSeconds(1))
                .playbackHeadersTimeout(Duration.ofSeconds(2)).build();
        this.registry = registrySetup.apply(StreamRegistry.newBuilder().engine(client)
                .sessionPolicy(SESSIONS).retryPolicy(RETRIES).playerPolicy(WRITERS)
                .enginePoolPolicy(new EnginePoolPolicy(Duration.ofMillis(500), 3))).build();
        this.server = AceProxyHttpServer.newBuilder().registry(registry).port(0)
                .idleTimeout(Duration.ofSeconds(5)).build();
        server.start();
    }

    static FaultRig start() throws IOException {
        return start(FakeAceEngine.builder(), UnaryOperator.identity());
    }

    static FaultRig start(FakeAceEngine.Builder engineBuilder, UnaryOperator<StreamRegistry.Builder> registrySetup)
            throws IOException {
        FakeAceEngine engine = engineBuilder.start();
        try {
            return new FaultRig(engine, registrySetup);
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    static UnaryOperator<StreamRegistry.Builder> linger(Duration linger) {
        return b -> b.sessionPolicy(SESSIONS.withLinger(linger));
    }

    static UnaryOperator<StreamRegistry.Builder> limits(Limits limits) {
        return b -> b.limits(limits);
    }

    int port() {
        return server.port();
    }

    SocketPlayer play(String id) throws IOException {
        return SocketPlayer.open(port(), "/ace/getstream?id=" + id);
    }

    /**
     * Tells the closing check that the engine answered this many getstream calls with a failure
     * (they started no engine session).
     */
    void getstreamsFailed(int count) {
        failedGetstreams = count;
    }

    /** Tells the closing check that stop commands hang: the engine keeps the sessions they were sent for. */
    void stopsHang() {
        stopsHang = true;
    }

    /**
     * Every getstream the proxy made ended in exactly one stop or in the engine forgetting its
     * session; every session the engine started was stopped or forgotten. Right whether the engine
     * keeps one session per content or starts one per player id. Must run before the engine closes
     * (closing forgets every session).
     */
    static void assertEveryEngineSessionEnded(FakeAceEngine engine, int failedGetstreams, boolean stopsHang) {
        assertThat(engine.getstreamCalls() - failedGetstreams)
                .as("getstreams (%d failed) = stops (%d) + sessions forgotten (%d)", failedGetstreams,
                        engine.stopCalls(), engine.sessionsForgotten())
                .isEqualTo(engine.stopCalls() + engine.sessionsForgotten());
        if (!stopsHang) {
            assertThat(engine.sessionsStarted())
                    .as("sessions started = stopped (%d) + forgotten (%d)", engine.sessionsStopped(),
                            engine.sessionsForgotten())
                    .isEqualTo(engine.sessionsStopped() + engine.sessionsForgotten());
        }
    }

    /** Closes everything; checks the engine-session accounting once the registry has let go of the engine. */
    @Override
    public void close() {
        try {
            server.close();
            registry.close();
            assertEveryEngineSessionEnded(engine, failedGetstreams, stopsHang);
        } finally {
            client.close();
            engine.close();
        }
    }
}
