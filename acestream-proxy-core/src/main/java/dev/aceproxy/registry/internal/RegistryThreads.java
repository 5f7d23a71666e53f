package dev.aceproxy.registry.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** Starts the registry's named virtual threads and keeps track of them until they end. */
public final class RegistryThreads {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");

    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final ThreadFactory pumps = factory("aceproxy-pump-");
    private final ThreadFactory helpers = factory("aceproxy-session-task-");
    private final ThreadFactory probes = factory("aceproxy-engine-probe-");

    private static ThreadFactory factory(String prefix) {
        return Thread.ofVirtual().name(prefix, 0)
                .uncaughtExceptionHandler((t, e) -> LOG.log(Level.ERROR, "uncaught in " + t.getName(), e))
                .factory();
    }

    public Thread startPump(Runnable task) {
        return start(pumps, task);
    }

    public Thread startTask(Runnable task) {
        return start(helpers, task);
    }

    public Thread startProbe(Runnable task) {
        return start(probes, task);
    }

    private Thread start(ThreadFactory factory, Runnable task) {
        Thread[] self = new Thread[1];
        Thread t = factory.newThread(() -> {
            try {
                task.run();
            } finally {
                live.remove(self[0]);
            }
        });
        self[0] = t;
        live.add(t);
        t.start();
        return t;
    }

    public int count() {
        return live.size();
    }

    /**
     * Waits for every thread to end until the deadline, then interrupts the rest and waits a
     * little more.
     *
     * @return whether every thread ended
     */
    public boolean awaitAll(long deadlineNanos) throws InterruptedException {
        joinUntil(deadlineNanos);
        if (live.isEmpty()) {
            return true;
        }
        for (Thread t : List.copyOf(live)) {
            t.interrupt();
        }
        joinUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500));
        return live.isEmpty();
    }

    private void joinUntil(long deadlineNanos) throws InterruptedException {
        while (!live.isEmpty()) {
            for (Thread t : List.copyOf(live)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                t.join(java.time.Duration.ofNanos(left));
            }
        }
    }
}
