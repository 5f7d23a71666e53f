package dev.aceproxy.engine;

/**
 * None of a channel's alternate contents could be loaded: each was tried in order and the engine
 * could not load it (or another session of this proxy plays it). Its cause is the last
 * alternate's failure.
 */
public final class ChannelUnavailableException extends ContentUnavailableException {

    private static final long serialVersionUID = 1L;

    /** How many alternates the channel has. */
    private final int alternates;

    /**
     * Creates an exception.
     *
     * @param alternates how many alternates the channel has
     * @param last the last alternate's failure
     */
    public ChannelUnavailableException(int alternates, ContentUnavailableException last) {
        super("none of the channel's " + alternates + " alternates could be loaded; the last: "
                + last.getMessage(), null, last);
        this.alternates = alternates;
    }

    /**
     * Returns how many alternates were tried.
     *
     * @return the channel's alternates
     */
    public int alternates() {
        return alternates;
    }
}
