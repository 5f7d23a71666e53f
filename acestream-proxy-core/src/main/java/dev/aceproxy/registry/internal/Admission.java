package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.NoHealthyEngineException;
import dev.aceproxy.registry.ClientInfo;
import dev.aceproxy.registry.DrainingException;
import dev.aceproxy.registry.LimitReachedException;
import dev.aceproxy.registry.LimitReachedException.Limit;
import dev.aceproxy.registry.Limits;
import dev.aceproxy.registry.ParametersConflictException;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Whether a subscriber may join a session or start a new one: the {@link Limits}, draining, and
 * the health of the engines. Every refusal is decided here, before any engine is asked; the checks
 * run in a fixed order so that the most useful answer wins (a full registry before a conflict,
 * a conflict before a full session).
 *
 * <p>Called by the session table with its lock held (it reads the table's counts); never blocks.
 */
final class Admission {

    private final Limits limits;
    private final EnginePool pool;
    private final int engineCount;
    /** New sessions per client address in the last minute; guarded by the table's lock. */
    private final NewSessionRate newSessionRate = new NewSessionRate();
    private volatile boolean draining;

    Admission(Limits limits, EnginePool pool, int engineCount) {
        this.limits = limits;
        this.pool = pool;
        this.engineCount = engineCount;
    }

    /** From now on no new session starts; joining a running one still works. */
    boolean startDraining() {
        boolean first = !draining;
        draining = true;
        return first;
    }

    boolean draining() {
        return draining;
    }

    /** Refuses any subscriber when the registry serves its maximum of clients. */
    void checkClient(int clients) throws LimitReachedException {
        if (limits.maxClients() > 0 && clients >= limits.maxClients()) {
            throw new LimitReachedException(Limit.CLIENTS, limits.retryAfter(),
                    "the registry serves its maximum of " + limits.maxClients() + " clients");
        }
    }

    /**
     * Refuses to join {@code session}: no engine is healthy and the session has no data, or has
     * only the last bytes of an engine that is gone (a balancer then moves the player to an instance
     * that streams, rather than hold it on keepalive packets once those bytes run out), it plays
     * with other engine parameters, or it serves its maximum of clients.
     */
    void checkJoin(Session session, Map<String, String> parameters) throws IOException {
        if (!pool.anyHealthy()) {
            if (!session.hasFlowingUpstream()) {
                throw new NoHealthyEngineException("no healthy engine among " + engineCount
                        + " configured, and session " + session.key + " has no data now", null);
            }
            EnginePool.Slot engine = session.engine();
            if (pool.isGone(engine)) {
                throw new NoHealthyEngineException("no healthy engine among " + engineCount
                        + " configured, and session " + session.key + " reads the last bytes of engine "
                        + engine + ", which refuses connections", null);
            }
        }
        if (!session.parameters().equals(parameters)) {
            throw new ParametersConflictException(session.key, session.parameters(), parameters);
        }
        if (limits.maxClientsPerSession() > 0 && session.reserved() >= limits.maxClientsPerSession()) {
            throw new LimitReachedException(Limit.CLIENTS_PER_SESSION, limits.retryAfter(), "session "
                    + session.key + " serves its maximum of " + limits.maxClientsPerSession() + " clients");
        }
    }

    /**
     * Refuses to start a new session: while draining, at the session limits (unless
     * {@code makeRoom} ends a lingering session), past the address's rate of new sessions, or with
     * no healthy engine.
     *
     * @param sessions the number of sessions in the table (it drops when {@code makeRoom} ends one)
     * @param client the subscriber
     * @param makeRoom ends one lingering session, and tells whether it did
     */
    void checkNewSession(IntSupplier sessions, ClientInfo client, BooleanSupplier makeRoom) throws IOException {
        if (draining) {
            throw new DrainingException(limits.retryAfter(), "the registry is draining: it starts no new session");
        }
        if (limits.maxSessions() > 0 && sessions.getAsInt() >= limits.maxSessions() && !makeRoom.getAsBoolean()) {
            throw new LimitReachedException(Limit.SESSIONS, limits.retryAfter(),
                    "the registry runs its maximum of " + limits.maxSessions() + " sessions");
        }
        if (limits.maxSessionsPerEngine() > 0 && pool.anyHealthy()
                && sessions.getAsInt() >= (long) pool.healthyCount() * limits.maxSessionsPerEngine()
                && !makeRoom.getAsBoolean()) {
            throw new LimitReachedException(Limit.SESSIONS_PER_ENGINE, limits.retryAfter(),
                    "every healthy engine serves its maximum of " + limits.maxSessionsPerEngine() + " sessions");
        }
        if (limits.maxNewSessionsPerAddress() > 0 && client.remoteAddress().isPresent()
                && !newSessionRate.tryStart(client.remoteAddress().get(), System.nanoTime(),
                limits.maxNewSessionsPerAddress())) {
            throw new LimitReachedException(Limit.NEW_SESSIONS_PER_ADDRESS, limits.retryAfter(),
                    "this address started its maximum of " + limits.maxNewSessionsPerAddress()
                    + " new sessions in the last minute");
        }
        if (!pool.anyHealthy()) {
            throw new NoHealthyEngineException("no healthy engine among " + engineCount + " configured", null);
        }
    }
}
