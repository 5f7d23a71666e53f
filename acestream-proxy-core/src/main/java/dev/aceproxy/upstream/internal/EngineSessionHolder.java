package dev.aceproxy.upstream.internal;

import dev.aceproxy.registry.internal.RegistryThreads;
import dev.aceproxy.registry.internal.EnginePool;
import dev.aceproxy.engine.ContentId;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.EngineSession;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one engine session an upstream holds, and the accounting rule for it: every session a
 * getstream returned ends in a stop call, or is dropped because its engine forgot it. Because a
 * new player id over the same content shares the engine's download, and stopping the old session
 * later would kill the new one's reader, the held session is stopped before another is asked for.
 *
 * <p>The getstream and stop calls run on session task threads while the caller (the pump) waits:
 * an interrupt of the pump (a teardown, a start timeout) ends its wait but never aborts a call
 * half-way, so a session the engine started is always learnt and always stopped. A session that
 * arrives after {@link #release()} is stopped at once.
 */
public final class EngineSessionHolder {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");
    /** How long the release waits for calls still in flight: above the engine client's getstream timeout. */
    private static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(15);

    /** A session and the engine that gave it. */
    public record Held(EnginePool.Slot slot, EngineSession session) {
    }

    /** One engine call. */
    private interface Call<T> {
        T call() throws EngineException, InterruptedException;
    }

    private final String key;
    private final RegistryThreads threads;
    private final AtomicReference<Held> held = new AtomicReference<>();
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean released;

    public EngineSessionHolder(String key, RegistryThreads threads) {
        this.key = key;
        this.threads = threads;
    }

    /** The session held now, or null. */
    public EngineSession session() {
        Held h = held.get();
        return h == null ? null : h.session();
    }

    /** The session held now with its engine, or null. */
    public Held held() {
        return held.get();
    }

    /**
     * Stops the held session (waiting for the stop call), then asks {@code slot} for a new session.
     * The caller has closed the held session's playback.
     *
     * @return the new session, now held
     * @throws InterruptedException if the caller is interrupted while waiting; a session that
     *     arrives later is held (and stopped by {@link #release()}) or stopped at once
     */
    public EngineSession start(EnginePool.Slot slot, ContentId content, Map<String, String> parameters)
            throws IOException, InterruptedException {
        leave();
        return await(call(() -> {
            EngineSession es = slot.client().startSession(content, parameters);
            adopt(new Held(slot, es));
            return es;
        }));
    }

    private void adopt(Held h) throws InterruptedException {
        Held previous = held.getAndSet(h);
        if (previous != null) {
            // not reached while the pump is the only caller of start; kept so that nothing is ever lost
            stopNow(previous);
        }
        if (released) {
            Held late = held.getAndSet(null);
            if (late != null) {
                stopNow(late);
            }
        }
    }

    /**
     * Stops the held session, if any, and waits for the stop call to end (it is bounded by the
     * engine client's stop timeout). The caller has closed its playback.
     *
     * @throws InterruptedException if interrupted while waiting; the stop call still completes
     */
    public void leave() throws InterruptedException {
        Held h = held.getAndSet(null);
        if (h == null) {
            return;
        }
        try {
            await(call(() -> {
                stopNow(h);
                return null;
            }));
        } catch (IOException e) {
            // stopNow logs and swallows engine failures
        }
    }

    /**
     * Drops the held session without a stop call: its engine has forgotten it (it answered
     * {@code unknown playback session id}, or refused the connection: it restarted).
     *
     * @param session the session the engine forgot; nothing happens if another one is held now
     */
    public void forget(EngineSession session) {
        Held h = held.get();
        if (h != null && h.session() == session && held.compareAndSet(h, null)) {
            LOG.log(Level.DEBUG, () -> "session " + key + ": engine " + h.slot() + " forgot its session of "
                    + session.content());
        }
    }

    /**
     * The session is over: waits (bounded) for calls still in flight, then stops the held session.
     * A session that a call still in flight returns later is stopped as it arrives.
     */
    public void release() {
        boolean interrupted = false;
        CompletableFuture<?>[] pending = inFlight.toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(pending).get(IN_FLIGHT_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            // each call's own failure was handled by its caller
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, () -> "session " + key + ": engine calls still running after " + IN_FLIGHT_WAIT
                    + "; a session they return will be stopped when it arrives");
        } catch (InterruptedException e) {
            // shutdown's deadline passed: stop what is held anyway, then keep the interrupt
            interrupted = true;
        }
        try {
            Held h = held.getAndSet(null);
            released = true;
            if (h != null) {
                stopNow(h);
            }
            Held late = held.getAndSet(null);
            if (late != null) {
                stopNow(late);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopNow(Held h) throws InterruptedException {
        try {
            h.slot().client().stop(h.session());
        } catch (EngineException e) {
            LOG.log(Level.WARNING, () -> "session " + key + ": stopping the engine session on " + h.slot()
                    + " failed: " + e.getMessage());
        } catch (IllegalStateException e) {
            LOG.log(Level.DEBUG, () -> "session " + key + ": engine client closed before the stop: "
                    + e.getMessage());
        }
    }

    private <T> CompletableFuture<T> call(Call<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        inFlight.add(f);
        f.whenComplete((r, e) -> inFlight.remove(f));
        threads.startTask(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private static <T> T await(CompletableFuture<T> f) throws IOException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException ie) {
                throw ie;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }
}
