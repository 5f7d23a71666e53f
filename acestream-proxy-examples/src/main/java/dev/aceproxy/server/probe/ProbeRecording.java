package dev.aceproxy.server.probe;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.ContentId;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code --probe ID --probe-report FILE}: runs a fixed series of steps against a real engine and
 * records what it answers into a JSON report a user can send to the project. The steps, each named
 * in the report: {@code get_version}, {@code get_status}, {@code getstream}, {@code playback} (time
 * to headers and first byte, with the stat url polled every second), {@code read_sample},
 * {@code same_pid}, {@code second_reader}, {@code second_reader_stop_prev}, {@code reopen},
 * {@code new_pid}, {@code stop}. Whatever happens, every engine session opened is stopped at the
 * end and the report is written with what was recorded so far.
 */
public final class ProbeRecording {

    /** Bound on the service calls ({@code get_version}, {@code get_status}). */
    static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(5);
    /** Bound on the connect of every request. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Bound on the first playback's headers: a cold start takes 10 to 25 s. */
    static final Duration PLAYBACK_HEADERS_TIMEOUT = Duration.ofSeconds(60);
    /** Bound on the first byte after the first playback's headers. */
    static final Duration FIRST_BYTE_TIMEOUT = Duration.ofSeconds(60);
    /** Bound on the head of a second reader or a reopened reader. */
    static final Duration READER_HEAD_TIMEOUT = Duration.ofSeconds(15);
    /** Bound on the first bytes of a second reader. */
    static final Duration READER_FIRST_BYTES_WAIT = Duration.ofSeconds(5);
    /** How long the first reader is watched after another request. */
    static final Duration WATCH_WINDOW = Duration.ofSeconds(2);
    /** How long the reader is watched after a stop. */
    static final Duration STOP_WATCH = Duration.ofSeconds(5);

    private final URI engine;
    private final ContentId content;
    private final Duration sampleDuration;
    private final Duration getstreamTimeout;
    private final Path reportFile;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * Creates a probe.
     *
     * @param engine the engine's base url, as in {@code http://127.0.0.1:6878}
     * @param content the content to play
     * @param sampleDuration how long the stream is read for the read sample
     * @param getstreamTimeout bound on each getstream call
     * @param reportFile where the report goes; replaced if it exists
     * @param out where progress goes
     * @param err where a failure's message goes
     */
    public ProbeRecording(URI engine, ContentId content, Duration sampleDuration, Duration getstreamTimeout,
                          Path reportFile, PrintStream out, PrintStream err) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.content = Objects.requireNonNull(content, "content");
        this.sampleDuration = Objects.requireNonNull(sampleDuration, "sampleDuration");
        this.getstreamTimeout = Objects.requireNonNull(getstreamTimeout, "getstreamTimeout");
        this.reportFile = Objects.requireNonNull(reportFile, "reportFile");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    /**
     * Runs every step, stops every session it opened, and writes the report.
     *
     * @return true when every step was done and the report written; false after a failure, whose
     *     message (naming the step) went to {@code err}
     * @throws InterruptedException if the calling thread was interrupted; sessions are still
     *     stopped and the report written
     */
    public boolean run() throws InterruptedException {
        ProbeClock clock = new ProbeClock();
        ProbeReport report = new ProbeReport();
        Map<String, Object> probe = report.section("probe");
        probe.put("tool", "acestream-proxy --probe-report");
        probe.put("engine", engine.toString());
        probe.put("content", content.kind().parameter() + "=" + content.hex());
        probe.put("started_at", Instant.now().toString());
        probe.put("sample_duration_ms", sampleDuration.toMillis());
        probe.put("user_agent", AceEngineClient.DEFAULT_USER_AGENT);
        WireClient wire = new WireClient(AceEngineClient.DEFAULT_USER_AGENT, CONNECT_TIMEOUT, clock);
        EngineSessions sessions = new EngineSessions(wire, engine, content, getstreamTimeout);
        ProbeSteps steps = new ProbeSteps(wire, engine, sessions, report, out);
        Map<String, Object> result = report.section("result");
        boolean complete = false;
        try {
            run(steps);
            complete = true;
        } catch (ProbeStepException e) {
            result.put("failed_step", e.step());
            result.put("message", e.getMessage());
            err.println("acestream-proxy: probe step " + e.step() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            result.put("failed_step", steps.currentStep());
            result.put("message", "interrupted");
            throw e;
        } finally {
            steps.closeReaders();
            Map<String, Object> tally = sessions.stopAll();
            report.section("sessions").putAll(tally);
            result.put("complete", complete);
            result.put("duration_ms", clock.millis());
            out.println("probe: engine sessions opened " + tally.get("opened") + ", stopped " + tally.get("stopped"));
            complete &= write(report);
        }
        return complete;
    }

    private void run(ProbeSteps steps) throws ProbeStepException, InterruptedException {
        steps.service("get_version", "/webui/api/service?method=get_version", SERVICE_TIMEOUT);
        steps.service("get_status", "/server/api?api_version=3&method=get_status", SERVICE_TIMEOUT);
        String pid = UUID.randomUUID().toString();
        SessionAnswer first = steps.getstream("getstream", pid);
        steps.firstPlayback(first, sampleDuration);
        steps.samePid(first);
        steps.secondReader("second_reader", first.playback());
        steps.secondReader("second_reader_stop_prev", withStopPrev(first.playback()));
        steps.reopen(first.playback());
        steps.newPid(first, UUID.randomUUID().toString());
        steps.stop(first);
    }

    private static URI withStopPrev(URI playback) {
        return URI.create(playback + (playback.getRawQuery() == null ? "?" : "&") + "stop_prev_read_thread=1");
    }

    private boolean write(ProbeReport report) {
        try {
            report.writeTo(reportFile);
            out.println("probe: report written to " + reportFile.toAbsolutePath());
            return true;
        } catch (IOException e) {
            err.println("acestream-proxy: cannot write the probe report to " + reportFile + ": " + e);
            return false;
        }
    }
}
