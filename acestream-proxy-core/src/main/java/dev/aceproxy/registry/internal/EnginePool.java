package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.engine.NoHealthyEngineException;
import dev.aceproxy.engine.EngineVersion;
import dev.aceproxy.registry.EnginePoolPolicy;
import dev.aceproxy.registry.EngineStatus;
import dev.aceproxy.registry.StreamListener;
import dev.aceproxy.upstream.internal.EngineFault;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The registry's engines: which are healthy (probed with {@code get_version}) and how many
 * sessions each serves. A new session goes to a healthy engine with the fewest sessions, ties
 * broken round robin.
 */
public final class EnginePool {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");

    /** One engine and its health and load; guarded by the pool's monitor. */
    public static final class Slot {
        final AceEngineClient client;
        final int index;
        boolean healthy = true;
        /** Its last probe or connection was refused: its process is not running. */
        boolean refused;
        int consecutiveFailures;
        String version;
        int sessions;

        /**
         * Returns the engine's client.
         *
         * @return the client of this engine
         */
        public AceEngineClient client() {
            return client;
        }

        Slot(AceEngineClient client, int index) {
            this.client = client;
            this.index = index;
        }

        @Override
        public String toString() {
            return client.baseUri().toString();
        }
    }

    private final List<Slot> slots;
    private final EnginePoolPolicy policy;
    private final StreamListener listener;
    /** Told, before the listener, of an engine taken out: its sessions read their stream at once. */
    private volatile Consumer<Slot> takenOut = slot -> { };
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long roundRobin;

    public EnginePool(List<AceEngineClient> engines, EnginePoolPolicy policy, StreamListener listener) {
        List<Slot> list = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            list.add(new Slot(engines.get(i), i));
        }
        this.slots = List.copyOf(list);
        this.policy = policy;
        this.listener = listener;
    }

    /**
     * Picks an engine for a session and counts the session on it.
     *
     * @param avoid engines that just failed this session; used only when nothing else is healthy
     * @param allowUnhealthy whether an engine marked unhealthy may be used when no healthy one is
     *     left (recovery keeps trying rather than giving up at once)
     * @throws EngineUnavailableException if no engine may be used
     */
    public synchronized Slot acquire(Set<Slot> avoid, boolean allowUnhealthy) throws EngineUnavailableException {
        List<Slot> candidates = pick(s -> s.healthy && !avoid.contains(s));
        if (candidates.isEmpty()) {
            candidates = pick(s -> s.healthy);
        }
        if (candidates.isEmpty() && allowUnhealthy) {
            candidates = pick(s -> !avoid.contains(s));
            if (candidates.isEmpty()) {
                candidates = pick(s -> true);
            }
        }
        if (candidates.isEmpty()) {
            throw new NoHealthyEngineException("no healthy engine among " + slots, null);
        }
        Slot chosen = candidates.get((int) (roundRobin++ % candidates.size()));
        chosen.sessions++;
        return chosen;
    }

    /** The candidates that pass the filter and have the fewest sessions. */
    private List<Slot> pick(java.util.function.Predicate<Slot> filter) {
        int min = Integer.MAX_VALUE;
        List<Slot> out = new ArrayList<>();
        for (Slot s : slots) {
            if (!filter.test(s)) {
                continue;
            }
            if (s.sessions < min) {
                min = s.sessions;
                out.clear();
            }
            if (s.sessions == min) {
                out.add(s);
            }
        }
        return out;
    }

    public synchronized void release(Slot slot) {
        slot.sessions--;
    }

    public synchronized boolean isHealthy(Slot slot) {
        return slot.healthy;
    }

    /**
     * Whether the engine is gone: it is taken out, and its last probe or connection was refused
     * (its process is not running). What a session still reads from it is the last of what it
     * sent before it stopped.
     *
     * @param slot the engine, or null (a session between engines)
     */
    public synchronized boolean isGone(Slot slot) {
        return slot != null && slot.refused && !slot.healthy;
    }

    public synchronized int healthyCount() {
        return (int) slots.stream().filter(s -> s.healthy).count();
    }

    public synchronized boolean anyHealthy() {
        return slots.stream().anyMatch(s -> s.healthy);
    }

    /**
     * Whether an engine outside {@code avoid} is healthy: a session can move there at once.
     *
     * @param avoid engines that failed the session
     */
    public synchronized boolean anyHealthyOutside(Set<Slot> avoid) {
        return slots.stream().anyMatch(s -> s.healthy && !avoid.contains(s));
    }

    /**
     * Sets what is told of an engine taken out (refused, or failed its probes), before the
     * listener: the sessions on it look at their stream at once instead of after a pause.
     *
     * @param onTakenOut called with the engine's slot, on the thread that took it out
     */
    public void onTakenOut(Consumer<Slot> onTakenOut) {
        this.takenOut = Objects.requireNonNull(onTakenOut, "onTakenOut");
    }

    /**
     * The engine refused a connection: it is not running, so it is taken out at once (no session
     * goes there) until a probe answers again.
     */
    public void markRefused(Slot s) {
        boolean changed;
        synchronized (this) {
            changed = s.healthy;
            s.healthy = false;
            s.refused = true;
            s.consecutiveFailures = Math.max(s.consecutiveFailures, policy.failuresBeforeRemoval());
        }
        if (changed) {
            LOG.log(Level.INFO, () -> "engine " + s + " taken out: it refused a connection");
            takenOut.accept(s);
            listener.engineHealthChanged(s.client.baseUri(), false);
        }
    }

    /**
     * Probes one engine now, outside the probe loop (a session waiting for a refusing engine to
     * come back), and records the result.
     *
     * @return whether the engine answered
     */
    public boolean probeNow(Slot s) throws InterruptedException {
        boolean ok = probe(s);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while probing " + s);
        }
        return ok;
    }

    public synchronized List<EngineStatus> status() {
        List<EngineStatus> out = new ArrayList<>();
        for (Slot s : slots) {
            out.add(new EngineStatus(s.client.baseUri(), s.healthy, Optional.ofNullable(s.version), s.sessions,
                    s.consecutiveFailures));
        }
        return out;
    }

    /** The probe loop: every engine at once, then sleeps one interval; ends when {@link #stop()} is called. */
    public void probeLoop(RegistryThreads threads) {
        try {
            do {
                List<Thread> round = new ArrayList<>();
                for (Slot s : slots) {
                    round.add(threads.startTask(() -> probe(s)));
                }
                for (Thread t : round) {
                    t.join();
                }
            } while (!stopped.await(policy.probeInterval().toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            // shutdown interrupts the loop: nothing left to do.
        }
    }

    private boolean probe(Slot s) {
        boolean ok;
        boolean refused = false;
        String version = null;
        try {
            EngineVersion v = s.client.probe();
            version = v.version();
            ok = true;
        } catch (EngineException e) {
            ok = false;
            refused = EngineFault.of(e) == EngineFault.REFUSED;
            LOG.log(Level.DEBUG, () -> "probe of " + s + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        Boolean changed = record(s, ok, refused, version);
        if (changed != null) {
            boolean healthy = changed;
            LOG.log(Level.INFO, () -> "engine " + s + (healthy ? " is healthy again" : " taken out after "
                    + policy.failuresBeforeRemoval() + " failed probes"));
            if (!healthy) {
                takenOut.accept(s);
            }
            listener.engineHealthChanged(s.client.baseUri(), healthy);
        }
        return ok;
    }

    /** Records a probe result; returns the new health when it changed, else null. */
    private synchronized Boolean record(Slot s, boolean ok, boolean refused, String version) {
        boolean before = s.healthy;
        s.refused = refused;
        if (ok) {
            s.consecutiveFailures = 0;
            s.version = version;
            s.healthy = true;
        } else {
            s.consecutiveFailures++;
            if (s.consecutiveFailures >= policy.failuresBeforeRemoval()) {
                s.healthy = false;
            }
        }
        return before == s.healthy ? null : s.healthy;
    }

    public void stop() {
        stopped.countDown();
    }
}
