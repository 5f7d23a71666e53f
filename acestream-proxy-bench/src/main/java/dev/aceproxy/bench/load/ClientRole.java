package dev.aceproxy.bench.load;

/** What a load-tool connection is there for. */
public enum ClientRole {
    /** The first client: it makes the server start the stream (its time to first byte is a cold start). */
    STARTER,
    /** A client that joins the running stream after the warm-up and reads as fast as it can. */
    JOINER,
    /** A client with a tiny receive buffer that reads almost nothing. */
    STUCK,
    /** A short-lived client of the churn: joins, stays about a second, leaves. */
    CHURN;

    /** {@return whether this client reads as fast as it can and is expected to keep up} */
    public boolean readsFast() {
        return this == STARTER || this == JOINER;
    }
}
