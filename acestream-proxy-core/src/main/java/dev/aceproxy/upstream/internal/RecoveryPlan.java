package dev.aceproxy.upstream.internal;

import dev.aceproxy.engine.ChannelUnavailableException;
import dev.aceproxy.engine.ContentUnavailableException;
import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.engine.NoHealthyEngineException;
import dev.aceproxy.registry.RetryPolicy;
import dev.aceproxy.registry.internal.EnginePool;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What a session tries next to get data from an engine, and how long it waits first: the one plan
 * behind the pump's one retry loop, for the start and for every recovery. Every rule about
 * retrying and backing off is here; the pump only carries the steps out.
 *
 * <p><b>Start.</b> Step {@link Step#START} (the engine session it has, or a new one) until data
 * flows. The first try goes at once; the next ones after the {@link RetryPolicy} backoff, capped
 * while players wait ({@link RecoveryWait}). A content the engine cannot load moves the session to
 * its next alternate at once, without counting (after the last one, the start fails with
 * {@link ChannelUnavailableException}); an engine that is warming up is retried without
 * counting; any other failure counts, and the start fails after {@code maxAttempts}. An engine that
 * refused the connection is avoided and the next try goes at once, to another engine; when none
 * is healthy the start fails with {@link NoHealthyEngineException}.
 *
 * <p><b>Recovery</b> climbs a ladder: {@link Step#RECONNECT} (the same playback url, while the
 * engine session lives), {@link Step#NEW_SESSION}, then {@link Step#FAILOVER} (a channel's next
 * alternate), each up to {@code maxAttempts} times. The ladder is reset after a stable period of
 * data. The first try after a loss goes at once; a forgotten session asks for a new one at once;
 * an engine that refused is avoided, or probed until it answers when it was the last one.
 *
 * <p>Used by the pump thread only; not thread-safe.
 */
final class RecoveryPlan {

    /** A way to get data again. */
    enum Step {
        /** Start: use the session's engine session, or ask for one. */
        START("start"),
        /** Open the same playback url again. */
        RECONNECT("reconnect"),
        /** Ask an engine for a new session (new player id) for the same content. */
        NEW_SESSION("new-session"),
        /** Move to the channel's next alternate content. */
        FAILOVER("failover");

        final String label;

        Step(String label) {
            this.label = label;
        }
    }

    /** What the pump does after a failed try. */
    enum Next {
        /** Try again as {@link RecoveryPlan#next} says. */
        RETRY,
        /** Move to the next alternate content, then try again at once. */
        NEXT_ALTERNATE
    }

    /**
     * One try.
     *
     * @param step what to do
     * @param number the how-many-th try of this step (1 for the first)
     * @param delay how long to wait before it
     */
    record Attempt(Step step, int number, Duration delay) {
    }

    private final RetryPolicy policy;
    private final EnginePool pool;
    private final int alternates;
    private final SplittableRandom random = new SplittableRandom();
    private final int[] used = new int[Step.values().length];
    private final Set<EnginePool.Slot> avoid = new HashSet<>();
    private boolean starting;
    // this round: since the start, or since the loss
    private boolean atOnce;
    private EnginePool.Slot refusing;
    private IOException last;
    private int startFailures;
    private int startRetries;
    private int alternatesTried;
    private boolean movedAlternate;

    RecoveryPlan(RetryPolicy policy, EnginePool pool, int alternates) {
        this.policy = policy;
        this.pool = pool;
        this.alternates = alternates;
    }

    /** Begins the start: its first try goes at once. */
    void beginStart() {
        starting = true;
        newRound();
        alternatesTried = 1;
    }

    /** Begins a recovery after a loss: its first try goes at once. */
    void beginRecovery() {
        starting = false;
        newRound();
    }

    private void newRound() {
        avoid.clear();
        atOnce = true;
        refusing = null;
        last = null;
    }

    /** Forgets the ladder's attempts: data flowed for a stable period. */
    void reset() {
        Arrays.fill(used, 0);
    }

    /** Tells whether the current round is a recovery (announced to the listener) rather than the start. */
    boolean recovering() {
        return !starting;
    }

    /** The engines not to ask in this round. */
    Set<EnginePool.Slot> avoid() {
        return avoid;
    }

    /** The last engine, which refused: the wait before the next try probes it. Null otherwise. */
    EnginePool.Slot refusing() {
        return refusing;
    }

    /**
     * The next try and the wait before it; consumes the round's "at once" and "refusing" state.
     *
     * @param hasEngineSession whether there is a playback url to reopen
     * @param players whether players wait for the data
     * @return the try, or null when the ladder is exhausted (the recovery fails)
     */
    Attempt next(boolean hasEngineSession, boolean players) {
        Step step = starting ? Step.START : nextRung(hasEngineSession);
        if (step == null) {
            return null;
        }
        int number = ++used[step.ordinal()];
        Duration wait;
        if (starting) {
            // the first try, and the try right after moving to another alternate, go at once
            wait = number == 1 || movedAlternate ? Duration.ZERO
                    : RecoveryWait.before(policy.backoff(++startRetries, random), atOnce, null, players);
            movedAlternate = false;
        } else {
            wait = RecoveryWait.before(policy.backoff(number, random), atOnce, refusing, players);
        }
        atOnce = false;
        return new Attempt(step, number, wait);
    }

    private Step nextRung(boolean canReconnect) {
        for (Step step : new Step[] {Step.RECONNECT, Step.NEW_SESSION, Step.FAILOVER}) {
            if ((step == Step.RECONNECT && !canReconnect) || (step == Step.FAILOVER && alternates < 2)) {
                continue;
            }
            if (used[step.ordinal()] < policy.maxAttempts()) {
                return step;
            }
        }
        return null;
    }

    /**
     * Decides what a failed try means.
     *
     * @param step the step that failed
     * @param failure why
     * @param slot the engine it was made on, or null
     * @param stopping whether the session is stopping
     * @return what to do next
     * @throws IOException when the start fails for good: the failure, or
     *     {@link NoHealthyEngineException} when no engine is left
     */
    Next failed(Step step, IOException failure, EnginePool.Slot slot, boolean stopping) throws IOException {
        refusing = null;
        return starting ? startFailed(failure, slot, stopping) : recoveryFailed(step, failure, slot);
    }

    private Next startFailed(IOException failure, EnginePool.Slot slot, boolean stopping) throws IOException {
        if (failure instanceof ContentUnavailableException unavailable) {
            if (alternatesTried >= alternates) {
                throw alternates > 1 ? new ChannelUnavailableException(alternates, unavailable) : failure;
            }
            alternatesTried++;
            movedAlternate = true;
            return Next.NEXT_ALTERNATE;
        }
        if (failure instanceof WarmingUpException) {
            // prebuffering: retried until the start timeout, not counted as a failure
            return Next.RETRY;
        }
        if (stopping || ++startFailures >= policy.maxAttempts()) {
            throw failure;
        }
        if (failure instanceof EngineUnavailableException) {
            EngineFault fault = EngineFault.of(failure);
            if (slot != null && fault != EngineFault.SESSION_GONE) {
                avoid.add(slot);
            }
            if (fault == EngineFault.REFUSED && slot != null) {
                if (lastEngineGone(slot)) {
                    // No healthy engine is left: the start cannot succeed now, and says so at once
                    // rather than after the backoffs (a balancer then moves the player elsewhere).
                    throw new NoHealthyEngineException("no healthy engine is left: " + failure.getMessage(),
                            failure);
                }
                atOnce = true;
            } else {
                atOnce = fault == EngineFault.SESSION_GONE;
            }
        }
        return Next.RETRY;
    }

    private Next recoveryFailed(Step step, IOException failure, EnginePool.Slot slot) {
        last = failure;
        if (failure instanceof ContentUnavailableException) {
            if (step == Step.NEW_SESSION && alternates > 1) {
                // another alternate is more likely to play than this content again
                used[Step.NEW_SESSION.ordinal()] = policy.maxAttempts();
            }
        } else if (failure instanceof EngineUnavailableException) {
            switch (EngineFault.of(failure)) {
                case REFUSED -> {
                    // the engine is down and forgot the session: another engine at once, or this
                    // one as soon as it answers
                    if (slot != null) {
                        avoid.add(slot);
                        refusing = lastEngineGone(slot) ? slot : null;
                    }
                    atOnce = refusing == null;
                }
                // the engine restarted and forgot the session: ask for a new one at once
                case SESSION_GONE -> atOnce = true;
                case OTHER -> {
                    if (slot != null && step != Step.RECONNECT) {
                        avoid.add(slot);
                    }
                }
            }
        }
        return Next.RETRY;
    }

    /** Marks {@code slot} refused, and tells whether no healthy engine is left outside those avoided. */
    private boolean lastEngineGone(EnginePool.Slot slot) {
        pool.markRefused(slot);
        return !pool.anyHealthyOutside(avoid);
    }

    /**
     * The failure of a recovery whose ladder is exhausted.
     *
     * @param loss what was lost
     * @return the failure, with the last try's error as its cause
     */
    IOException gaveUp(String loss) {
        return new IOException("recovery failed after " + loss
                + (last == null ? "" : "; last error: " + last.getMessage()), last);
    }

    /**
     * Returns the most attempts of any one step.
     *
     * @return the policy's {@code maxAttempts}
     */
    int maxAttempts() {
        return policy.maxAttempts();
    }
}
