package dev.aceproxy.server.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps of {@link ProbeRecording}, each recorded under its name in the report. A step fails
 * (a {@link ProbeStepException} naming it) only when the engine cannot be reached or its answer
 * leaves nothing for the next steps to work with; anything else the engine does is a fact for the
 * report. Keeps the playback reader the steps share, and closes it in {@link #closeReaders()}.
 */
final class ProbeSteps {

    private final WireClient wire;
    private final URI engine;
    private final EngineSessions sessions;
    private final ProbeReport report;
    private final PrintStream out;
    private final List<AutoCloseable> readers = new ArrayList<>();
    private volatile String currentStep = "start";
    /** The reader the steps watch; replaced when a step opens a new one. */
    private ReaderWatch reader;

    ProbeSteps(WireClient wire, URI engine, EngineSessions sessions, ProbeReport report, PrintStream out) {
        this.wire = wire;
        this.engine = engine;
        this.sessions = sessions;
        this.report = report;
        this.out = out;
    }

    String currentStep() {
        return currentStep;
    }

    /** A service call ({@code get_version}, {@code get_status}), recorded raw. */
    void service(String name, String pathAndQuery, Duration timeout) throws ProbeStepException {
        Map<String, Object> step = begin(name);
        URI uri = URI.create(engine + pathAndQuery);
        step.put("url", uri.toString());
        try {
            RecordedAnswer answer = wire.fetch(uri, timeout);
            step.putAll(answer.toReport());
            say(name, answer.head().statusLine() + " (" + answer.head().framing().reportName() + ", "
                    + answer.body().bytes().length + " bytes)");
        } catch (IOException e) {
            throw failed(name, step, "no answer from " + engine + ": " + e.getMessage(), e);
        }
    }

    /** A getstream call with {@code pid}; the session is counted for the final stops. */
    SessionAnswer getstream(String name, String pid) throws ProbeStepException {
        Map<String, Object> step = begin(name);
        try {
            SessionAnswer session = sessions.start(pid, step);
            say(name, "playback " + session.playback() + ", playback_session_id " + session.playbackSessionId());
            return session;
        } catch (IOException e) {
            throw failed(name, step, "no answer from " + engine + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw failed(name, step, e.getMessage(), e);
        }
    }

    /**
     * Opens the playback with the stat url polled every second, records the time to the headers
     * and to the first byte, then the read sample; leaves the reader running for the next steps.
     */
    void firstPlayback(SessionAnswer session, Duration sampleDuration)
            throws ProbeStepException, InterruptedException {
        Map<String, Object> step = begin("playback");
        StatPoller poller = StatPoller.start(wire, session.stat());
        WireConnection connection = null;
        byte[] firstRead;
        try {
            step.put("url", session.playback().toString());
            step.put("opened_at_ms", wire.clock().millis());
            long opened = System.nanoTime();
            List<Object> redirects = new ArrayList<>();
            step.put("redirects", redirects);
            connection = wire.openFollowing(session.playback(), ProbeRecording.PLAYBACK_HEADERS_TIMEOUT, engine,
                    redirects);
            readers.add(connection);
            step.put("request", connection.request());
            step.put("headers_ms", ProbeClock.millisSince(opened));
            step.putAll(connection.head().toReport());
            step.put("bytes_with_head", connection.bytesAfterHead());
            if (connection.head().status() != 200) {
                RecordedBody body = connection.readBody(4096, Duration.ofSeconds(5));
                body.putInto(step);
                throw failed("playback", step, "the playback answered " + connection.head().statusLine()
                        + (body.bytes().length == 0 ? "" : ": " + ReaderAttempt.printable(body.bytes())), null);
            }
            connection.readTimeout(ProbeRecording.FIRST_BYTE_TIMEOUT);
            InputStream body = connection.body();
            byte[] buffer = new byte[ReadSample.READ_BUFFER];
            int n = body.read(buffer);
            if (n < 0) {
                throw failed("playback", step, "the playback answered 200 and ended before its first byte"
                        + " (the engine may still be warming up)", null);
            }
            step.put("first_byte_ms", ProbeClock.millisSince(opened));
            firstRead = Arrays.copyOf(buffer, n);
            say("playback", connection.head().statusLine() + " after " + step.get("headers_ms") + " ms, first byte after "
                    + step.get("first_byte_ms") + " ms (" + connection.head().framing().reportName() + ")");
            step.put("stat_polls", poller.stop());
            Map<String, Object> sample = begin("read_sample");
            try {
                sample.putAll(ReadSample.record(connection, body, firstRead, sampleDuration));
            } catch (IOException e) {
                throw failed("read_sample", sample, "reading the playback failed: " + e, e);
            }
            say("read_sample", sample.get("reads") + " reads, " + sample.get("bytes") + " bytes, first 0x47 at "
                    + sample.get("first_0x47_offset") + ", " + sample.get("end"));
            watch(new ReaderWatch(connection, body, wire.clock()));
        } catch (SocketTimeoutException e) {
            throw failed("playback", step, "no playback headers or first byte in time: " + e.getMessage(), e);
        } catch (IOException e) {
            throw failed("playback", step, "the playback failed: " + e, e);
        } finally {
            List<Map<String, Object>> polls = poller.stop();
            step.putIfAbsent("stat_polls", polls);
        }
    }

    /** Asks getstream again with the same pid: same urls, same playback session id? */
    void samePid(SessionAnswer first) throws ProbeStepException, InterruptedException {
        SessionAnswer again = getstream("same_pid", first.pid());
        Map<String, Object> step = report.step("same_pid_compared");
        step.put("same_playback_url", again.playback().equals(first.playback()));
        step.put("same_stat_url", again.stat().equals(first.stat()));
        step.put("same_command_url", again.command().equals(first.command()));
        step.put("same_playback_session_id", again.playbackSessionId().equals(first.playbackSessionId()));
        step.put("first_reader", reader.watch(ProbeRecording.WATCH_WINDOW));
    }

    /**
     * Opens a second reader while the first one is read; records what each sees. When the second
     * one streams and the first ended, the second becomes the reader the next steps watch.
     */
    void secondReader(String name, URI url) throws ProbeStepException, InterruptedException {
        Map<String, Object> step = begin(name);
        ReaderAttempt second;
        try {
            second = ReaderAttempt.open(wire, url, engine, ProbeRecording.READER_HEAD_TIMEOUT,
                    ProbeRecording.READER_FIRST_BYTES_WAIT);
        } catch (IOException e) {
            throw failed(name, step, "no answer from " + engine + ": " + e.getMessage(), e);
        }
        step.put("second_reader", second.record());
        step.put("first_reader", reader.watch(ProbeRecording.WATCH_WINDOW));
        say(name, "second reader " + second.record().getOrDefault("status_line", second.record().get("head"))
                + (second.streaming() ? ", streaming" : ", not streaming") + "; first reader "
                + (reader.hasEnded() ? "ended" : "still streaming"));
        if (second.streaming() && reader.hasEnded()) {
            try {
                watch(new ReaderWatch(second.connection(), second.body(), wire.clock()));
                readers.add(second.connection());
                step.put("second_reader_kept", true);
                return;
            } catch (IOException e) {
                step.put("second_reader_kept", "failed: " + e);
            }
        }
        second.close();
    }

    /** Closes the reader and opens the playback again at once. */
    void reopen(URI playback) throws ProbeStepException, InterruptedException {
        Map<String, Object> step = begin("reopen");
        reader.close();
        step.put("closed_at_ms", wire.clock().millis());
        ReaderAttempt again;
        try {
            again = ReaderAttempt.open(wire, playback, engine, ProbeRecording.READER_HEAD_TIMEOUT,
                    ProbeRecording.READER_HEAD_TIMEOUT);
        } catch (IOException e) {
            throw failed("reopen", step, "no answer from " + engine + ": " + e.getMessage(), e);
        }
        step.put("reader", again.record());
        say("reopen", again.record().getOrDefault("status_line", again.record().get("head"))
                + (again.streaming() ? ", streaming" : ", not streaming"));
        if (!again.streaming()) {
            again.close();
            throw failed("reopen", step, "the playback did not stream when opened again right after closing it",
                    null);
        }
        try {
            readers.add(again.connection());
            watch(new ReaderWatch(again.connection(), again.body(), wire.clock()));
        } catch (IOException e) {
            throw failed("reopen", step, "reading the reopened playback failed: " + e, e);
        }
    }

    /** Asks getstream with a new pid while the reader runs: new urls, new playback session id? */
    void newPid(SessionAnswer first, String pid) throws ProbeStepException, InterruptedException {
        SessionAnswer other = getstream("new_pid", pid);
        Map<String, Object> step = report.step("new_pid_compared");
        step.put("new_playback_url", !other.playback().equals(first.playback()));
        step.put("new_command_url", !other.command().equals(first.command()));
        step.put("new_playback_session_id", !other.playbackSessionId().equals(first.playbackSessionId()));
        step.put("same_infohash", other.infohash().equals(first.infohash()));
        step.put("reader", reader.watch(ProbeRecording.WATCH_WINDOW));
    }

    /** Stops the first session while the reader runs and records what the reader sees, and how soon. */
    void stop(SessionAnswer first) throws ProbeStepException, InterruptedException {
        Map<String, Object> step = begin("stop");
        long before = reader.bytes();
        long sent = wire.clock().millis();
        try {
            step.put("answer", sessions.stop(first.command()).toReport());
        } catch (IOException e) {
            throw failed("stop", step, "no answer from " + engine + ": " + e.getMessage(), e);
        }
        boolean ended = reader.awaitEnd(ProbeRecording.STOP_WATCH);
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("stop_sent_at_ms", sent);
        seen.put("bytes_after_stop", reader.bytes() - before);
        reader.putEnd(seen);
        if (ended) {
            seen.put("ended_ms_after_stop", (long) seen.get("ended_at_ms") - sent);
        } else {
            seen.put("still_streaming_after_ms", ProbeRecording.STOP_WATCH.toMillis());
        }
        step.put("reader", seen);
        say("stop", ended ? "the reader saw " + seen.get("end") + " at " + seen.get("ended_at_ms") + " ms"
                : "the reader still streams " + ProbeRecording.STOP_WATCH.toMillis() + " ms after the stop");
    }

    /** Closes every reader the steps opened. */
    void closeReaders() throws InterruptedException {
        if (reader != null) {
            reader.close();
        }
        for (AutoCloseable r : readers) {
            try {
                r.close();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception ignored) {
                // closing a socket: nothing to report
            }
        }
    }

    private void watch(ReaderWatch next) throws InterruptedException {
        if (reader != null) {
            reader.close();
        }
        reader = next;
    }

    private Map<String, Object> begin(String name) {
        currentStep = name;
        Map<String, Object> step = report.step(name);
        step.put("started_at_ms", wire.clock().millis());
        return step;
    }

    private void say(String step, String what) {
        out.println("probe: " + step + ": " + what);
    }

    private static ProbeStepException failed(String name, Map<String, Object> step, String message, Throwable cause) {
        step.put("failed", message);
        return new ProbeStepException(name, message, cause);
    }
}
