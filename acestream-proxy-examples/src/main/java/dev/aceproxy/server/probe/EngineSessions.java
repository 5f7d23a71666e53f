package dev.aceproxy.server.probe;

import dev.aceproxy.engine.ContentId;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine sessions the probe opens: starts them with a recorded getstream call, and stops every
 * one of them (each distinct command url) at the end, counting both.
 */
final class EngineSessions {

    /** Bound on a stop call; the engine can hang on it. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);

    private final WireClient wire;
    private final URI engine;
    private final ContentId content;
    private final Duration getstreamTimeout;
    /** Command url of each session opened, and the record of its stop once it was stopped. */
    private final Map<URI, Map<String, Object>> opened = new LinkedHashMap<>();

    EngineSessions(WireClient wire, URI engine, ContentId content, Duration getstreamTimeout) {
        this.wire = wire;
        this.engine = engine;
        this.content = content;
        this.getstreamTimeout = getstreamTimeout;
    }

    /**
     * Asks for a session with the given player id, recording every answer (a redirect on the
     * engine's host and port is followed) under {@code answers} in {@code step}.
     *
     * @throws IOException if the engine cannot be reached or does not answer in time
     * @throws IllegalArgumentException if the answer cannot start a session; the message says why
     */
    SessionAnswer start(String pid, Map<String, Object> step) throws IOException {
        URI uri = URI.create(engine + "/ace/getstream?format=json&" + content.kind().parameter() + "="
                + content.hex() + "&pid=" + pid);
        List<Object> answers = new ArrayList<>();
        step.put("answers", answers);
        for (int hop = 0; ; hop++) {
            RecordedAnswer answer = wire.fetch(uri, getstreamTimeout);
            answers.add(answer.toReport());
            int status = answer.head().status();
            if (WireClient.isRedirect(status)) {
                String location = answer.head().first("Location")
                        .orElseThrow(() -> new IllegalArgumentException("getstream answered HTTP " + status
                                + " without a Location"));
                URI next = uri.resolve(location);
                if (!WireClient.sameHostAndPort(engine, next)) {
                    throw new IllegalArgumentException("getstream was redirected to another host: " + location);
                }
                if (hop == WireClient.MAX_REDIRECTS) {
                    throw new IllegalArgumentException("getstream was redirected more than "
                            + WireClient.MAX_REDIRECTS + " times");
                }
                uri = next;
                continue;
            }
            if (status != 200) {
                throw new IllegalArgumentException("getstream answered " + answer.head().statusLine());
            }
            SessionAnswer session = SessionAnswer.parse(pid, answer.body(), engine);
            opened.putIfAbsent(session.command(), null);
            step.put("session", session.toReport());
            return session;
        }
    }

    /**
     * Stops the session at {@code command} and records the raw answer.
     *
     * @throws IOException if the engine cannot be reached or does not answer in time
     */
    RecordedAnswer stop(URI command) throws IOException {
        URI uri = URI.create(command + (command.getRawQuery() == null ? "?" : "&") + "method=stop");
        RecordedAnswer answer = wire.fetch(uri, STOP_TIMEOUT);
        opened.put(command, answer.toReport());
        return answer;
    }

    /** Stops every session not stopped yet; returns the tally for the report. Never throws an {@link IOException}. */
    Map<String, Object> stopAll() {
        List<Object> sessions = new ArrayList<>();
        int stopped = 0;
        for (URI command : List.copyOf(opened.keySet())) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("command_url", command.toString());
            if (opened.get(command) == null) {
                try {
                    stop(command);
                    record.put("stopped_at_end", true);
                } catch (IOException e) {
                    record.put("stop_failed", e.toString());
                }
            }
            Map<String, Object> stop = opened.get(command);
            if (stop != null) {
                stopped++;
                record.put("stop_answer", stop);
            }
            sessions.add(record);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("opened", opened.size());
        out.put("stopped", stopped);
        out.put("sessions", sessions);
        return out;
    }

    /** Sessions opened so far. */
    int openedCount() {
        return opened.size();
    }
}
