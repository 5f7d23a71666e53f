package dev.aceproxy.server.probe;

import java.util.Locale;

/** How an HTTP answer marks the end of its body, as its head says. */
enum Framing {

    /** {@code Content-Length}: exactly that many bytes. */
    CONTENT_LENGTH,
    /** {@code Transfer-Encoding: chunked}. */
    CHUNKED,
    /** Neither: the body runs to the connection's close. */
    CLOSE_DELIMITED,
    /** The head never completed, so there is no body to speak of. */
    NONE;

    /** The name used in the report, as in {@code close-delimited}. */
    String reportName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
