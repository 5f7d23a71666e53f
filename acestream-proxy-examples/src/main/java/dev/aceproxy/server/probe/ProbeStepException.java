package dev.aceproxy.server.probe;

/** A probe step could not be done; the message says why, and {@link #step()} names the step. */
final class ProbeStepException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String step;

    ProbeStepException(String step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    String step() {
        return step;
    }
}
