package dev.aceproxy.registry.internal;

import dev.aceproxy.engine.ContentId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Which session plays which content: the engine serves one reader per download, so a content (and
 * the infohash it resolves to) is claimed by at most one live session. A session claims a content
 * before it asks the engine for it, and its claims go when its teardown ends.
 *
 * <p>Thread-safe, with its own lock, which is never held while waiting and never held while the
 * session table's lock is taken (the table may call in with its own lock held).
 */
public final class ContentClaims {

    private static final System.Logger LOG = System.getLogger("dev.aceproxy.registry");
    /** How long a claim waits for the previous session of a content to stop. */
    private static final Duration CLAIM_WAIT = Duration.ofSeconds(15);

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private final Map<ContentId, Session> claims = new HashMap<>();

    /**
     * Returns the live session that claims {@code content}, if any.
     *
     * @param content a content
     * @return the session, or null when none or only an ending one claims it
     */
    public Session liveClaimer(ContentId content) {
        lock.lock();
        try {
            Session s = claims.get(content);
            return s != null && !s.isTerminal() ? s : null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the live session a subscriber of {@code alternates} joins: for a plain content, the
     * one that plays it; for a channel, the one that plays its first alternate, but only while
     * every alternate is claimed (a channel with a free alternate starts its own session).
     *
     * @param alternates the content, or a channel's alternates in order
     * @param isChannel whether they are a channel's
     * @return the session to join, or null
     */
    public Session playingSession(List<ContentId> alternates, boolean isChannel) {
        if (!isChannel) {
            return liveClaimer(alternates.get(0));
        }
        for (ContentId c : alternates) {
            if (liveClaimer(c) == null) {
                return null;
            }
        }
        return liveClaimer(alternates.get(0));
    }

    /**
     * Returns the index of the first alternate no live session claims, or 0 when all are claimed.
     *
     * @param alternates a channel's alternates, in order
     * @return where a new session of them starts
     */
    public int firstFreeAlternate(List<ContentId> alternates) {
        for (int i = 0; i < alternates.size(); i++) {
            if (liveClaimer(alternates.get(i)) == null) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Claims {@code content} for {@code session}. When an ending session still holds it, waits
     * (at most 15 s) for that one's teardown, then claims it anyway.
     *
     * @param session the claiming session
     * @param content the content it is about to ask the engine for
     * @return {@code false} when a live session plays it
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean claim(Session session, ContentId content) throws InterruptedException {
        long deadline = System.nanoTime() + CLAIM_WAIT.toNanos();
        while (true) {
            CompletableFuture<Void> wait;
            lock.lock();
            try {
                Session owner = claims.get(content);
                if (owner == null || owner == session) {
                    claims.put(content, session);
                    return true;
                }
                if (!owner.isTerminal()) {
                    return false;
                }
                wait = owner.teardownDone;
            } finally {
                lock.unlock();
            }
            long left = deadline - System.nanoTime();
            try {
                wait.get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                // teardownDone never fails
            } catch (TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, () -> "session " + session.key + ": the previous session of "
                        + content + " is still stopping; starting anyway");
                lock.lock();
                try {
                    claims.put(content, session);
                } finally {
                    lock.unlock();
                }
                return true;
            }
        }
    }

    /**
     * Claims the infohash that {@code content} resolved to. When another live session plays that
     * infohash and {@code mayYield}, the content's claim moves to that session (its subscribers
     * join it) and this session must give way.
     *
     * @param session the claiming session
     * @param content the content it asked for
     * @param infohash what the engine said the content is
     * @param mayYield whether the session may give way (a plain content before its first data)
     * @return {@code false} when the session must give way
     */
    public boolean claimInfohash(Session session, ContentId content, String infohash, boolean mayYield) {
        if (content.kind() == ContentId.Kind.INFOHASH) {
            return true;
        }
        ContentId alias;
        try {
            alias = ContentId.infohash(infohash);
        } catch (IllegalArgumentException e) {
            // not 40 hex characters: nothing a subscriber could name
            return true;
        }
        lock.lock();
        try {
            Session owner = claims.get(alias);
            if (owner == null || owner == session || owner.isTerminal()) {
                claims.put(alias, session);
                return true;
            }
            if (!mayYield) {
                return true;
            }
            claims.put(content, owner);
        } finally {
            lock.unlock();
        }
        LOG.log(System.Logger.Level.INFO, () -> "session " + session.key + ": " + content + " is " + alias
                + ", which another session plays; its subscribers join that session");
        return false;
    }

    /**
     * Gives up {@code session}'s claim of {@code content} (it fails over to another alternate).
     *
     * @param session the session
     * @param content the content it leaves
     */
    public void release(Session session, ContentId content) {
        lock.lock();
        try {
            claims.remove(content, session);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives up every claim of {@code session}: its teardown ended.
     *
     * @param session the session
     */
    public void releaseAll(Session session) {
        lock.lock();
        try {
            claims.values().removeIf(owner -> owner == session);
        } finally {
            lock.unlock();
        }
    }
}
