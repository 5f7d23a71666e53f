package dev.aceproxy.fanout.internal;

import dev.aceproxy.fanout.EndReason;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The end of a fan-out's players, once they were told to drain: wait for them until the drain
 * deadline, then close the sinks of those still writing (which unblocks their writes), and after a
 * grace interrupt any thread whose sink ignored being closed. Runs on the closing thread, with no
 * lock held.
 */
final class PlayerShutdown {

    private static final System.Logger LOG = System.getLogger(FanOut.class.getName());

    private PlayerShutdown() {
    }

    /** Waits for the ending players to drain, then forces those that did not; keeps an interrupt. */
    static void endAll(PlayerQueue[] ending, EndReason reason, Duration drainDeadline,
                               Thread watchdogThread, Thread flusherThread) {
        long deadline = System.nanoTime() + drainDeadline.toNanos();
        boolean interrupted = !awaitEnded(ending, deadline);
        for (PlayerQueue player : ending) {
            if (!player.ended().isDone()) {
                player.requestAbort(reason);
                player.closeSink();
            }
        }
        if (!interrupted) {
            interrupted = !awaitEnded(ending, System.nanoTime() + FanOut.FORCED_END_GRACE.toNanos());
        }
        for (PlayerQueue player : ending) {
            if (!player.ended().isDone()) {
                LOG.log(Level.WARNING, "player {0}: sink did not unblock on close; interrupting", player.id());
                player.interrupt();
            }
        }
        if (!interrupted && watchdogThread != null) {
            interrupted = !join(watchdogThread, FanOut.FORCED_END_GRACE);
        }
        if (!interrupted && flusherThread != null) {
            interrupted = !join(flusherThread, FanOut.FORCED_END_GRACE);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Returns false if interrupted. */
    private static boolean awaitEnded(PlayerQueue[] ending, long deadlineNanos) {
        for (PlayerQueue player : ending) {
            long left = deadlineNanos - System.nanoTime();
            try {
                player.ended().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // Not ended in time: the caller forces it.
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
