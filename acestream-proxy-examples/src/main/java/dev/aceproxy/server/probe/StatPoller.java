package dev.aceproxy.server.probe;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Polls a session's stat url once a second on a virtual thread of its own, keeping each raw answer
 * and its time, until stopped or {@link #MAX_POLLS} answers are in.
 */
final class StatPoller {

    /** The most polls kept: two minutes of a cold start. */
    static final int MAX_POLLS = 120;
    /** Time between polls. */
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Bound on one poll. */
    static final Duration POLL_TIMEOUT = Duration.ofSeconds(5);

    private final WireClient wire;
    private final URI stat;
    private final List<Map<String, Object>> polls = new ArrayList<>();
    private final Thread thread;

    private StatPoller(WireClient wire, URI stat) {
        this.wire = wire;
        this.stat = stat;
        this.thread = Thread.ofVirtual().name("aceproxy-probe-stat").unstarted(this::poll);
    }

    /** Starts polling at once. */
    static StatPoller start(WireClient wire, URI stat) {
        StatPoller poller = new StatPoller(wire, stat);
        poller.thread.start();
        return poller;
    }

    private void poll() {
        try {
            for (int n = 0; n < MAX_POLLS; n++) {
                long started = System.nanoTime();
                Map<String, Object> poll;
                try {
                    RecordedAnswer answer = wire.fetch(stat, POLL_TIMEOUT);
                    poll = new LinkedHashMap<>();
                    poll.put("at_ms", answer.atMillis());
                    poll.put("total_ms", answer.totalMillis());
                    poll.put("status_line", answer.head().statusLine());
                    poll.put("framing", answer.head().framing().reportName());
                    answer.body().putInto(poll);
                } catch (IOException e) {
                    poll = new LinkedHashMap<>();
                    poll.put("at_ms", wire.clock().millis());
                    poll.put("failed", e.toString());
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                synchronized (polls) {
                    polls.add(poll);
                }
                long left = INTERVAL.toNanos() - (System.nanoTime() - started);
                if (left > 0) {
                    Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                }
            }
        } catch (InterruptedException stopped) {
            // stop() asked for it
        }
    }

    /** Stops polling and returns every poll made, oldest first. */
    List<Map<String, Object>> stop() throws InterruptedException {
        thread.interrupt();
        thread.join(POLL_TIMEOUT.toMillis() + 1000);
        synchronized (polls) {
            return List.copyOf(polls);
        }
    }
}
