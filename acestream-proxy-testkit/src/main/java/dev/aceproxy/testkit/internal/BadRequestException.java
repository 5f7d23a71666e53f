package dev.aceproxy.testkit.internal;

import java.io.IOException;

/** A request head the fake engine refuses to parse, with the status to answer. */
final class BadRequestException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;

    BadRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
