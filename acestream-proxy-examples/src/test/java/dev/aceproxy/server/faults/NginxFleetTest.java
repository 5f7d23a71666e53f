package dev.aceproxy.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.Eventually;
import dev.aceproxy.testkit.oracle.StreamExpectation;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three proxy instances, each with its own fake engine, behind Debian's nginx hashing the content
 * id consistently ({@code hash $arg_id$arg_infohash consistent}; see docs/scale-out.md), all on
 * loopback and started here. Every player goes through nginx; each player's first
 * {@value #PREFIX} bytes are checked against the source with the oracle. The servers run with
 * their production defaults.
 */
@Timeout(120)
class NginxFleetTest {

    private static final int INSTANCES = 3;
    private static final int CONTENTS = 30;
    private static final int PLAYERS_PER_CONTENT = 3;
    /** Bytes each player keeps for the oracle and must receive. */
    private static final int PREFIX = 128 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How soon a player returning from a dead engine must stream again (the bound). */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(3);

    private final List<FleetInstance> fleet = new ArrayList<>();
    private final List<SocketPlayer> players = new ArrayList<>();
    private NginxFront nginx;

    @BeforeEach
    void startFleet() throws Exception {
        NginxFront.requireNginx();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            FleetInstance instance = FleetInstance.start();
            fleet.add(instance);
            ports.add(instance.port());
        }
        nginx = NginxFront.start(ports);
    }

    @AfterEach
    void stopFleet() throws IOException {
        for (SocketPlayer p : players) {
            p.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        for (FleetInstance instance : fleet) {
            instance.close();
        }
    }

    @Test
    void oneSessionPerContentAcrossTheFleetAndOnlyTheLostContentsMove() throws Exception {
        List<String> ids = contents(0, CONTENTS);
        Map<String, List<SocketPlayer>> byContent = openAll(ids);
        EngineTally tally = tallyAll();
        for (String id : ids) {
            assertThat(tally.getstreams(id)).as("getstreams of %s across the fleet", id).isEqualTo(1);
            assertThat(tally.playbackOpens(id)).as("playback opens of %s across the fleet", id).isEqualTo(1);
        }
        Map<String, Integer> homes = homes(ids);
        assertThat(homes).hasSize(CONTENTS);

        // An instance dies: only its contents move, each to one other instance.
        int dead = busiest(homes, List.of());
        List<String> moved = contentsOf(homes, dead);
        assertThat(moved).isNotEmpty();
        fleet.get(dead).killServer();
        for (String id : moved) {
            for (SocketPlayer p : byContent.get(id)) {
                Eventually.within(WAIT, String.format("player of %s ended with its instance", id), p::ended);
            }
        }
        byContent.putAll(openAll(moved));
        EngineTally afterKill = tallyAll();
        for (String id : ids) {
            assertThat(afterKill.getstreams(id)).as("new getstreams of %s", id).isEqualTo(moved.contains(id) ? 1 : 0);
        }
        Map<String, Integer> homesAfterKill = homes(ids);
        for (String id : ids) {
            if (!moved.contains(id)) {
                assertThat(homesAfterKill.get(id)).as("home of %s", id).isEqualTo(homes.get(id));
            }
        }
        assertStillStreaming(byContent, ids, moved);

        // An engine dies: its instance answers 503 at once, and returning players stream elsewhere.
        int engineless = busiest(homesAfterKill, List.of(dead));
        List<String> orphaned = contentsOf(homesAfterKill, engineless);
        assertThat(orphaned).isNotEmpty();
        fleet.get(engineless).killEngine();
        Eventually.within(WAIT, "an instance whose engine died is not ready",
                () -> !fleet.get(engineless).server.registry().readiness().ready());
        assertThat(fleet.get(engineless).readyz().statusCode()).isEqualTo(503);
        for (String id : orphaned) {
            for (SocketPlayer p : byContent.get(id)) {
                p.close();
            }
        }
        Map<String, List<SocketPlayer>> returned = new LinkedHashMap<>();
        for (String id : orphaned) {
            List<SocketPlayer> again = new ArrayList<>();
            for (int k = 0; k < PLAYERS_PER_CONTENT; k++) {
                long asked = System.nanoTime();
                SocketPlayer p = open(id);
                Duration left = Duration.ofNanos(Math.max(1, BACK_WITHIN.toNanos() - (System.nanoTime() - asked)));
                Eventually.within(left, String.format("a returning player of %s streams within %s", id, BACK_WITHIN),
                        () -> p.firstDataAtOrAfter(asked) >= 0);
                again.add(p);
            }
            returned.put(id, again);
        }
        awaitPrefixes(returned);
        byContent.putAll(returned);
        EngineTally afterEngine = tallyAll();
        for (String id : ids) {
            assertThat(afterEngine.getstreams(id)).as("new getstreams of %s", id)
                    .isEqualTo(orphaned.contains(id) ? 1 : 0);
        }
        // The instance without an engine keeps its old sessions, with no engine session behind
        // them and no player left, until their linger is over: it is no home any more.
        Eventually.within(WAIT, "no player left on the instance without an engine",
                () -> fleet.get(engineless).server.registry().status().totals().clients() == 0);
        Map<String, Integer> homesAfterEngine = homes(ids);
        for (String id : ids) {
            if (!orphaned.contains(id)) {
                assertThat(homesAfterEngine.get(id)).as("home of %s", id).isEqualTo(homesAfterKill.get(id));
            }
        }
        assertStillStreaming(byContent, ids, orphaned);
    }

    @Test
    void aDrainingInstanceTakesNoNewSessionAndItsPlayersFinish() throws Exception {
        List<String> ids = contents(0, 12);
        Map<String, List<SocketPlayer>> byContent = openAll(ids);
        tallyAll();
        Map<String, Integer> homes = homes(ids);
        int draining = busiest(homes, List.of());
        FleetInstance instance = fleet.get(draining);
        List<String> staying = contentsOf(homes, draining);
        assertThat(staying).isNotEmpty();

        assertThat(instance.postDrain().statusCode()).isEqualTo(200);
        assertThat(instance.readyz().statusCode()).isEqualTo(503);
        assertThat(instance.readyz().body()).contains("\"status\":\"draining\"");

        // A new content whose first choice is the draining instance: turned away, played elsewhere.
        String ownAddress = "127.0.0.1:" + instance.port();
        SocketPlayer movedAway = null;
        for (String id : contents(100, 60)) {
            SocketPlayer p = open(id);
            String upstream = header(p.head(), "X-Upstream");
            if (upstream.startsWith(ownAddress + ", ")) {
                movedAway = p;
                assertThat(upstream).as("tried the draining instance, then another").doesNotEndWith(ownAddress);
                assertThat(instance.plays(id)).isFalse();
                break;
            }
            assertThat(upstream).doesNotContain(ownAddress);
        }
        assertThat(movedAway).as("a new content hashed to the draining instance").isNotNull();
        movedAway.receives(PREFIX, WAIT);

        // A new player of a content it plays joins it there: one engine session per content.
        String joined = staying.get(0);
        SocketPlayer joiner = open(joined);
        assertThat(header(joiner.head(), "X-Upstream")).isEqualTo(ownAddress);
        byContent.get(joined).add(joiner);

        EngineTally afterDrain = tallyAll();
        for (String id : ids) {
            assertThat(afterDrain.getstreams(id)).as("new getstreams of %s", id).isZero();
        }
        awaitPrefixes(byContent);
        assertStillStreaming(byContent, ids, List.of());

        // Its players finish: the drain then ends with nobody left, and nothing else was touched.
        for (String id : staying) {
            for (SocketPlayer p : byContent.get(id)) {
                p.close();
            }
        }
        assertThat(instance.server.drain(WAIT)).as("every player of the draining instance has gone").isTrue();
        List<String> others = new ArrayList<>(ids);
        others.removeAll(staying);
        assertStillStreaming(byContent, others, List.of());
    }

    // ---------------------------------------------------------------- helpers

    private static List<String> contents(int from, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            ids.add(String.format("f1ee7%035x", i * 7919L + 1));
        }
        return ids;
    }

    private SocketPlayer open(String id) throws IOException {
        SocketPlayer p = SocketPlayer.open(nginx.port(), "/ace/getstream?id=" + id).keepAtMost(PREFIX);
        players.add(p);
        return p;
    }

    /** Opens every player of every content at once, through nginx; waits for each prefix. */
    private Map<String, List<SocketPlayer>> openAll(List<String> ids) throws Exception {
        Map<String, List<Future<SocketPlayer>>> pending = new LinkedHashMap<>();
        try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) {
                List<Future<SocketPlayer>> mine = new ArrayList<>();
                for (int k = 0; k < PLAYERS_PER_CONTENT; k++) {
                    mine.add(starts.submit(() -> open(id)));
                }
                pending.put(id, mine);
            }
        }
        Map<String, List<SocketPlayer>> opened = new LinkedHashMap<>();
        for (Map.Entry<String, List<Future<SocketPlayer>>> e : pending.entrySet()) {
            List<SocketPlayer> list = new ArrayList<>();
            for (Future<SocketPlayer> f : e.getValue()) {
                list.add(f.get());
            }
            opened.put(e.getKey(), list);
        }
        awaitPrefixes(opened);
        return opened;
    }

    /** Waits for every player's prefix and checks it against the source. */
    private static void awaitPrefixes(Map<String, List<SocketPlayer>> byContent) throws InterruptedException {
        for (Map.Entry<String, List<SocketPlayer>> e : byContent.entrySet()) {
            for (SocketPlayer p : e.getValue()) {
                if (p.ended()) {
                    continue;
                }
                Eventually.within(WAIT, String.format("prefix of a player of %s served by %s (bytes)", e.getKey(),
                        header(p.head(), "X-Upstream")), p::bytes, bytes -> bytes >= PREFIX);
                p.assertFollowsSource(StreamExpectation.fromAnEntryPoint());
            }
        }
    }

    /** Every player of the contents not in {@code except} is still connected and receives more. */
    private static void assertStillStreaming(Map<String, List<SocketPlayer>> byContent, List<String> ids,
                                             List<String> except) throws InterruptedException {
        for (String id : ids) {
            if (except.contains(id)) {
                continue;
            }
            for (SocketPlayer p : byContent.get(id)) {
                assertThat(p.ended()).as("a player of %s ended", id).isFalse();
                p.receives(188 * 50, WAIT, String.format("a player of %s streams on", id));
            }
        }
    }

    /** New getstreams and playback opens at every engine that still runs, since the last tally. */
    private EngineTally tallyAll() throws InterruptedException {
        EngineTally tally = new EngineTally();
        for (FleetInstance instance : fleet) {
            if (instance.engine.isListening()) {
                tally.takeFrom(instance.engine);
            }
        }
        return tally;
    }

    /**
     * Which instance plays each content, among those whose engine runs; fails if one plays on two
     * instances.
     */
    private Map<String, Integer> homes(List<String> ids) {
        Map<String, Integer> homes = new LinkedHashMap<>();
        for (String id : ids) {
            for (int i = 0; i < fleet.size(); i++) {
                if (fleet.get(i).engine.isListening() && fleet.get(i).plays(id)) {
                    assertThat(homes.put(id, i)).as("%s plays on one instance only", id).isNull();
                }
            }
        }
        return homes;
    }

    private static int busiest(Map<String, Integer> homes, List<Integer> skip) {
        int best = -1;
        int most = -1;
        for (int i = 0; i < INSTANCES; i++) {
            int n = contentsOf(homes, i).size();
            if (!skip.contains(i) && n > most) {
                best = i;
                most = n;
            }
        }
        return best;
    }

    private static List<String> contentsOf(Map<String, Integer> homes, int instance) {
        return homes.entrySet().stream().filter(e -> e.getValue() == instance).map(Map.Entry::getKey).toList();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        throw new AssertionError("no " + name + " header in " + head);
    }
}
