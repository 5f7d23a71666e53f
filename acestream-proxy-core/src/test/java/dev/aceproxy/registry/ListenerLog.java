package dev.aceproxy.registry;

import dev.aceproxy.engine.ContentId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A listener that records every event as a line of text, and can run a hook on each state change. */
final class ListenerLog implements StreamListener {

    private final List<String> lines = new ArrayList<>();
    private volatile Consumer<String> onState = s -> { };

    void onState(Consumer<String> hook) {
        this.onState = hook;
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    synchronized boolean await(String line, Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (!lines.contains(line)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public void sessionStateChanged(String key, ContentId content, SessionState from, SessionState to, String reason) {
        String line = "state " + key + " " + from + "->" + to;
        add(line);
        onState.accept(from + "->" + to);
    }

    @Override
    public void clientJoined(String key, long clientId) {
        add("joined " + key);
    }

    @Override
    public void clientLeft(String key, long clientId, StreamEnd end) {
        add("left " + key + " " + end.reason());
    }

    @Override
    public void recovering(String key, String rung, int attempt, Duration backoff) {
        add("recovering " + key + " " + rung + " " + attempt);
    }

    @Override
    public void failover(String key, ContentId from, ContentId to) {
        add("failover " + key + " " + from.hex() + "->" + to.hex());
    }

    @Override
    public void engineHealthChanged(URI engine, boolean healthy) {
        add("engine " + engine + " " + (healthy ? "healthy" : "unhealthy"));
    }
}
