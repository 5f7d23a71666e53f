package dev.aceproxy.testkit;

import java.util.Objects;

/**
 * How the fake engine misbehaves on a getstream call, scripted with {@link
 * FakeAceEngine#getstreamFault(GetstreamFault)}. Create instances with the static factories.
 */
public sealed interface GetstreamFault {

    /**
     * The engine answers {@code 200} with {@code {"response": null, "error": text}} in the JSON form,
     * and {@code 500} with {@code text} in the redirect form.
     *
     * @param text the engine's error text
     * @return the fault
     * @throws NullPointerException if {@code text} is null
     */
    static GetstreamFault engineError(String text) {
        return new EngineError(text);
    }

    /**
     * The engine answers with the given HTTP status and a short {@code text/plain} body.
     *
     * @param status an HTTP status from 100 to 599 other than 200 and 204
     * @return the fault
     * @throws IllegalArgumentException if {@code status} is out of range, 200 or 204
     */
    static GetstreamFault httpStatus(int status) {
        return new HttpStatus(status);
    }

    /**
     * The engine answers {@code 200} with a JSON body cut off in the middle.
     *
     * @return the fault
     */
    static GetstreamFault malformedJson() {
        return new MalformedJson();
    }

    /**
     * The engine reads the request and never answers; the connection is closed without an answer
     * when the fault is cleared ({@link FakeAceEngine#clearFaults()}) or the engine closes.
     *
     * @return the fault
     */
    static GetstreamFault noAnswer() {
        return new NoAnswer();
    }

    /**
     * A {@code 200} answer whose JSON carries an engine error.
     *
     * @param text the engine's error text
     */
    record EngineError(String text) implements GetstreamFault {
        /**
         * Validates.
         *
         * @throws NullPointerException if {@code text} is null
         */
        public EngineError {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * An answer with a status other than 200.
     *
     * @param status the HTTP status sent
     */
    record HttpStatus(int status) implements GetstreamFault {
        /**
         * Validates.
         *
         * @throws IllegalArgumentException if {@code status} is not in 100..599, or is 200 or 204
         */
        public HttpStatus {
            if (status < 100 || status > 599 || status == 200 || status == 204) {
                throw new IllegalArgumentException("status must be in 100..599 and not 200 or 204: " + status);
            }
        }
    }

    /** A {@code 200} answer whose body is not valid JSON. */
    record MalformedJson() implements GetstreamFault {
    }

    /** No answer at all. */
    record NoAnswer() implements GetstreamFault {
    }
}
