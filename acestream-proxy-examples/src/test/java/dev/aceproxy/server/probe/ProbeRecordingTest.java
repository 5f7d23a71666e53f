package dev.aceproxy.server.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.internal.json.JsonReader;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --probe-report} against the fake engine. The assertions hold for any engine that follows
 * the engine contract (framing, one reader per session, same pid same urls), not the fake's exact
 * numbers.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProbeRecordingTest {

    private static final String HEX = "0123456789abcdef0123456789abcdef01234567";
    private static final List<String> FRAMINGS = List.of("content-length", "chunked", "close-delimited");

    @TempDir
    Path dir;

    private FakeAceEngine fake;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void stopFake() {
        if (fake != null) {
            fake.close();
        }
    }

    private boolean probe(URI engine, Path report) throws InterruptedException {
        return new ProbeRecording(engine, ContentId.id(HEX), Duration.ofSeconds(1), Duration.ofSeconds(5), report,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path report) throws Exception {
        return (Map<String, Object>) JsonReader.parse(Files.readString(report));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String... path) {
        Map<String, Object> at = parent;
        for (String name : path) {
            assertThat(at).as("report path %s", String.join(".", path)).containsKey(name);
            at = (Map<String, Object>) at.get(name);
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String name) {
        assertThat(parent).containsKey(name);
        return (List<Object>) parent.get(name);
    }

    @Test
    @SuppressWarnings("unchecked")
    void recordsEveryStepAgainstAnEngineThatFollowsTheContract() throws Exception {
        fake = FakeAceEngine.start();
        Path file = dir.resolve("report.json");

        assertThat(probe(fake.baseUri(), file)).as("stderr: %s", err).isTrue();

        Map<String, Object> report = read(file);
        assertThat(report.get("report_version")).isEqualTo(1L);
        assertThat(map(report, "result").get("complete")).isEqualTo(true);
        Map<String, Object> steps = map(report, "steps");
        assertThat(steps.keySet()).containsSubsequence("get_version", "get_status", "getstream", "playback",
                "read_sample", "same_pid", "second_reader", "second_reader_stop_prev", "reopen", "new_pid", "stop");

        Map<String, Object> version = map(steps, "get_version");
        assertThat(version.get("status")).isEqualTo(200L);
        assertThat(version.get("framing")).isIn(FRAMINGS);
        assertThat((String) version.get("raw_head")).startsWith("HTTP/1.").endsWith("\r\n\r\n");
        assertThat(JsonReader.parse((String) version.get("body"))).asString().contains("version");

        Map<String, Object> getstream = map(steps, "getstream");
        Map<String, Object> answer = (Map<String, Object>) list(getstream, "answers").get(0);
        assertThat((String) answer.get("body")).contains("\"playback_url\"", "\"stat_url\"", "\"command_url\"");
        assertThat((String) map(getstream, "session").get("playback_url")).startsWith(fake.baseUri() + "/ace/");

        Map<String, Object> playback = map(steps, "playback");
        assertThat(playback.get("status")).isEqualTo(200L);
        assertThat(playback.get("framing")).isIn(FRAMINGS);
        assertThat((Long) playback.get("first_byte_ms")).isNotNegative();
        assertThat(list(playback, "stat_polls")).isNotEmpty().allSatisfy(poll -> {
            Map<String, Object> p = (Map<String, Object>) poll;
            assertThat(p).containsKey("at_ms");
            assertThat(p.containsKey("body") || p.containsKey("failed")).isTrue();
        });

        Map<String, Object> sample = map(steps, "read_sample");
        long reads = (Long) sample.get("reads");
        assertThat(reads).isBetween(1L, (long) ReadSample.MAX_READS);
        List<Object> sizes = list(sample, "read_sizes");
        assertThat(sizes).hasSize((int) reads);
        assertThat(list(sample, "gaps_before_read_us")).hasSize((int) reads);
        assertThat(sizes.stream().mapToLong(s -> (Long) s).sum()).isEqualTo(sample.get("bytes"));
        assertThat((Long) sample.get("first_0x47_offset")).isNotNegative();
        assertThat((Long) sample.get("first_packet_offset")).isNotNegative();
        assertThat(map(sample, "mpeg_ts").get("bad_sync_packets")).isEqualTo(0L);

        assertThat(map(steps, "same_pid_compared").get("same_playback_url")).isEqualTo(true);
        assertThat(map(steps, "same_pid_compared").get("same_command_url")).isEqualTo(true);
        // engine-api.md: a new pid gives new urls and a new playback session over the same download.
        assertThat(map(steps, "new_pid_compared").get("new_playback_url")).isEqualTo(true);
        assertThat(map(steps, "new_pid_compared").get("new_playback_session_id")).isEqualTo(true);

        Map<String, Object> second = map(steps, "second_reader");
        assertThat(map(second, "second_reader")).containsKeys("status_line", "first_bytes_hex", "streaming");
        assertThat((Long) map(second, "first_reader").get("bytes_during")).as("the first reader keeps streaming")
                .isPositive();
        assertThat(map(steps, "second_reader_stop_prev", "second_reader")).containsKey("status_line");
        assertThat(map(steps, "reopen", "reader").get("streaming")).isEqualTo(true);

        assertThat(map(steps, "stop", "answer").get("status")).isEqualTo(200L);
        assertThat(map(steps, "stop", "reader")).containsKeys("ended", "bytes_after_stop");

        Map<String, Object> sessions = map(report, "sessions");
        assertThat((Long) sessions.get("opened")).isPositive().isEqualTo(sessions.get("stopped"));
        assertThat(fake.openSessions()).isZero();
        assertThat(fake.sessionsStarted()).as("same pid, then a new pid: two engine sessions").isEqualTo(2);
        assertThat(fake.sessionsStopped()).isEqualTo(fake.sessionsStarted());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("engine sessions opened " + sessions.get("opened")
                + ", stopped " + sessions.get("stopped"));
    }

    @Test
    void aRefusedConnectionFailsTheFirstStepAndStillWritesTheReport() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path file = dir.resolve("refused.json");

        assertThat(probe(URI.create("http://127.0.0.1:" + closedPort), file)).isFalse();

        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("acestream-proxy: probe step get_version failed:"
                + " no answer from http://127.0.0.1:" + closedPort);
        Map<String, Object> report = read(file);
        assertThat(map(report, "result")).containsEntry("complete", false).containsEntry("failed_step", "get_version");
        assertThat(map(report, "steps", "get_version")).containsKey("failed");
        assertThat(map(report, "sessions").get("opened")).isEqualTo(0L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGetstreamErrorFailsThatStepWithTheEngineText() throws Exception {
        fake = FakeAceEngine.start();
        fake.markUnavailable(HEX);
        Path file = dir.resolve("unavailable.json");

        assertThat(probe(fake.baseUri(), file)).isFalse();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains(
                "probe step getstream failed: the engine answered with the error \"failed to load content\"");
        Map<String, Object> report = read(file);
        Map<String, Object> steps = map(report, "steps");
        assertThat(steps).containsKeys("get_version", "get_status", "getstream").doesNotContainKey("playback");
        Map<String, Object> answer = (Map<String, Object>) list(map(steps, "getstream"), "answers").get(0);
        assertThat((String) answer.get("body")).contains("failed to load content");
        assertThat(map(report, "result")).containsEntry("failed_step", "getstream");
        assertThat(map(report, "sessions").get("opened")).isEqualTo(0L);
    }

    @Test
    void aPlaybackFailureStillStopsTheSessionItOpened() throws Exception {
        fake = FakeAceEngine.start();
        fake.failPlaybackStarts(1);
        Path file = dir.resolve("playback.json");

        assertThat(probe(fake.baseUri(), file)).isFalse();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("probe step playback failed: the playback answered");
        Map<String, Object> report = read(file);
        assertThat(map(report, "result")).containsEntry("failed_step", "playback");
        assertThat(map(report, "steps", "playback")).containsKeys("status_line", "raw_head", "stat_polls", "failed");
        assertThat(map(report, "sessions")).containsEntry("opened", 1L).containsEntry("stopped", 1L);
        assertThat(fake.openSessions()).isZero();
        assertThat(fake.sessionsStopped()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aPlaybackRedirectOnTheEngineIsFollowedAndRecorded() throws Exception {
        fake = FakeAceEngine.builder().playbackRedirect(true).start();
        Path file = dir.resolve("redirect.json");

        assertThat(probe(fake.baseUri(), file)).as("stderr: %s", err).isTrue();

        Map<String, Object> playback = map(read(file), "steps", "playback");
        List<Object> redirects = list(playback, "redirects");
        assertThat(redirects).isNotEmpty();
        Map<String, Object> hop = (Map<String, Object>) redirects.get(0);
        assertThat((Long) hop.get("status")).isBetween(301L, 308L);
        assertThat(hop.get("headers")).asString().contains("Location");
        assertThat(playback.get("status")).isEqualTo(200L);
        assertThat(fake.openSessions()).isZero();
    }
}
