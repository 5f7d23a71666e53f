package dev.aceproxy.server.faults;

import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import static dev.aceproxy.server.faults.FaultRig.ID_A;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.jetty.AceProxyHttpServer;
import dev.aceproxy.registry.SessionPolicy;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.EngineEvent;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How long players wait for their next TS byte (a data packet, not keepalive filler) once the
 * engine can serve again, through the real HTTP server with the registry's production default
 * policies (and the engine client's defaults). Each figure is printed as
 * {@code recovery-latency <scenario>: <ms> ms} and must be at most 1.5 s:
 * <ul>
 *   <li>restart: the engine is down 4 s and forgets every session; measured from the moment it
 *       listens again;</li>
 *   <li>stall: the playback connection stays open and silent for 9 s (the engine's stat url says
 *       {@code buf}); measured from the end of the stall;</li>
 *   <li>pool move: the serving engine of two dies (connection refused); measured from its death.</li>
 * </ul>
 * Nothing is shortened: the no-data timeout (15 s), backoff (0.5 s doubling to 8 s), linger and
 * probe interval (10 s) are the defaults. One more stall case shortens the no-data timeout to 2 s,
 * so that the stall outlasts it: with the default a 9 s stall never reaches it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecoveryLatencyTest {

    private static final Duration BUDGET = Duration.ofMillis(1500);
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final long SOME_DATA = 256 * 1024;

    @Test
    void afterAnEngineRestart() throws Exception {
        try (Rig rig = Rig.start(1); SocketPlayer player = rig.play()) {
            player.receives(SOME_DATA, SOON);
            FakeAceEngine engine = rig.engines.get(0);
            engine.restart(Duration.ofSeconds(4));
            EngineEvent up = engine.awaitEvent(EngineEvent.Kind.RESTART_UP, SOON);
            assertThat(up).as("the engine listens again").isNotNull();
            assertThat(engine.isListening()).isTrue();
            long back = up.nanoTime();
            Duration latency = awaitDataAfter(player, back);
            report("restart (down 4 s, sessions forgotten)", latency);
            assertThat(engine.stopCalls()).as("no stop for the forgotten session").isZero();
            assertThat(latency).isLessThanOrEqualTo(BUDGET);
            player.receives(SOME_DATA, SOON);
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint().allowingRecoveries(1));
        }
    }

    @Test
    void afterAStall() throws Exception {
        try (Rig rig = Rig.start(1); SocketPlayer player = rig.play()) {
            player.receives(SOME_DATA, SOON);
            FakeAceEngine engine = rig.engines.get(0);
            long stallEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(9);
            engine.stallPlaybacks(Duration.ofSeconds(9));
            Duration latency = awaitDataAfter(player, stallEnds);
            report("stall (9 s, connection open and silent)", latency);
            assertThat(engine.playbackOpens()).as("resumed on the stalled connection").isEqualTo(1);
            assertThat(latency).isLessThanOrEqualTo(BUDGET);
            player.receives(SOME_DATA, SOON);
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
        }
    }

    @Test
    void afterAStallLongerThanTheNoDataTimeout() throws Exception {
        // The one shortened setting: a 2 s no-data timeout (15 s by default), so that the 9 s
        // stall crosses it, as it does for an operator who runs with a short no-data timeout.
        // The engine says "buf" meanwhile, so the connection must be kept rather than reconnected.
        SessionPolicy shortNoData = SessionPolicy.DEFAULT.withNoDataTimeout(Duration.ofSeconds(2));
        try (Rig rig = Rig.start(1, b -> b.sessionPolicy(shortNoData)); SocketPlayer player = rig.play()) {
            player.receives(SOME_DATA, SOON);
            FakeAceEngine engine = rig.engines.get(0);
            long stallEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(9);
            engine.stallPlaybacks(Duration.ofSeconds(9));
            Duration latency = awaitDataAfter(player, stallEnds);
            report("stall (9 s, no-data timeout 2 s, engine says buf)", latency);
            assertThat(engine.playbackOpens()).as("resumed on the stalled connection").isEqualTo(1);
            assertThat(latency).isLessThanOrEqualTo(BUDGET);
            player.receives(SOME_DATA, SOON);
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
        }
    }

    @Test
    void afterTheServingEngineOfAPoolDies() throws Exception {
        try (Rig rig = Rig.start(2); SocketPlayer player = rig.play()) {
            player.receives(SOME_DATA, SOON);
            URI serving = rig.registry.status().sessions().get(0).engine();
            FakeAceEngine dying = rig.engine(serving);
            FakeAceEngine other = rig.engines.get(0) == dying ? rig.engines.get(1) : rig.engines.get(0);
            // Silence the dying engine first and let the data already sent reach the player, so
            // that every data packet after its death can only have come from the other engine.
            dying.stallPlaybacks(Duration.ofSeconds(30));
            awaitQuiet(player, Duration.ofMillis(400));
            long died = System.nanoTime();
            dying.close();
            Duration latency = awaitDataAfter(player, died);
            report("pool move (serving engine refuses, another healthy)", latency);
            assertThat(rig.registry.status().sessions().get(0).engine()).isEqualTo(other.baseUri());
            assertThat(dying.stopCalls()).as("no stop for the session the dead engine forgot").isZero();
            assertThat(latency).isLessThanOrEqualTo(BUDGET);
            player.receives(SOME_DATA, SOON);
            player.assertFollowsSource(StreamExpectation.fromAnEntryPoint().allowingRecoveries(1));
        }
    }

    private static void report(String scenario, Duration latency) {
        System.out.printf("recovery-latency %s: %d ms%n", scenario, latency.toMillis());
    }

    /** Waits (bounded) for the first data packet at or after {@code from}; returns how long after it came. */
    private static Duration awaitDataAfter(SocketPlayer player, long from) throws InterruptedException {
        Eventually.within(Duration.ofSeconds(20), "data reaches the player", () -> player.firstDataAtOrAfter(from) > 0);
        return Duration.ofNanos(Math.max(0, player.firstDataAtOrAfter(from) - from));
    }

    /** Waits (bounded) until no data packet has reached the player for {@code quiet}. */
    private static void awaitQuiet(SocketPlayer player, Duration quiet) throws InterruptedException {
        Eventually.within(SOON, "the stalled engine's data drained",
                () -> System.nanoTime() - player.lastDataArrival() > quiet.toNanos());
    }

    /** Fake engines, default engine clients, a registry with every default policy, and the real server. */
    private static final class Rig implements AutoCloseable {
        final List<FakeAceEngine> engines = new ArrayList<>();
        final List<AceEngineClient> clients = new ArrayList<>();
        StreamRegistry registry;
        AceProxyHttpServer server;

        static Rig start(int engineCount) throws IOException {
            return start(engineCount, b -> b);
        }

        static Rig start(int engineCount, UnaryOperator<StreamRegistry.Builder> setup) throws IOException {
            Rig rig = new Rig();
            try {
                StreamRegistry.Builder builder = StreamRegistry.newBuilder();
                for (int i = 0; i < engineCount; i++) {
                    FakeAceEngine engine = FakeAceEngine.start();
                    rig.engines.add(engine);
                    AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).build();
                    rig.clients.add(client);
                    builder.engine(client);
                }
                rig.registry = setup.apply(builder).build();
                rig.server = AceProxyHttpServer.newBuilder().registry(rig.registry).port(0).build();
                rig.server.start();
                return rig;
            } catch (IOException | RuntimeException e) {
                rig.close();
                throw e;
            }
        }

        SocketPlayer play() throws IOException {
            return SocketPlayer.open(server.port(), "/ace/getstream?id=" + ID_A);
        }

        FakeAceEngine engine(URI uri) {
            return engines.stream().filter(e -> e.baseUri().equals(uri)).findFirst().orElseThrow();
        }

        @Override
        public void close() {
            try {
                if (server != null) {
                    server.close();
                }
                if (registry != null) {
                    registry.close();
                    for (FakeAceEngine engine : engines) {
                        FaultRig.assertEveryEngineSessionEnded(engine, 0, false);
                    }
                }
            } finally {
                clients.forEach(AceEngineClient::close);
                engines.forEach(FakeAceEngine::close);
            }
        }
    }
}
