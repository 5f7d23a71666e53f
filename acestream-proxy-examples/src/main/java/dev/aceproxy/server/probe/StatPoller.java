package dev.aceproxy.server.probe;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Polls a session's stat url once a second on a virtual thread of its own, keeping each raw answer
 * and its time, until stopped or {@link #MAX_POLLS} answers are in. The first poll is made at once.
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
    private final CountDownLatch stopped = new CountDownLatch(1);
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
                synchronized (polls) {
                    polls.add(poll);
                }
                long left = INTERVAL.toNanos() - (System.nanoTime() - started);
                if (stopped.await(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the probe is being interrupted: stop polling
        }
    }

    /**
     * Stops polling and returns every poll made, oldest first; a poll in progress is finished
     * first, so there is always at least one.
     */
    List<Map<String, Object>> stop() throws InterruptedException {
        stopped.countDown();
        thread.join(POLL_TIMEOUT.multipliedBy(2).toMillis());
        synchronized (polls) {
            return List.copyOf(polls);
        }
    }
}
