package dev.aceproxy.testkit;

/** What the fake engine does while a {@link FakeAceEngine#restart(java.time.Duration, RestartMode)} lasts. */
public enum RestartMode {
    /** The port is closed: connections are refused. */
    REFUSE_CONNECTIONS,
    /**
     * The port stays open and every request is answered {@code 503 Service Unavailable} (an error
     * answer: no {@code Content-Length}, the connection closes after it), as an engine that is up
     * but still starting does.
     */
    ANSWER_503
}
