package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.AceEngineClient;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.time.Duration;

/**
 * Opens https playbacks through the {@code HttpClient}, which brings TLS. Redirects are followed
 * on the engine's own address, and the time to the response headers is bounded across every hop;
 * the body of any answer but the one handed out is released or read only up to
 * {@link AceEngineClient#MAX_ERROR_BODY_BYTES}.
 */
public final class HttpClientPlayback {

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());

    private final EngineAddress engine;
    private final EngineExchange exchange;
    private final PlaybackAnswers answers;
    private final EngineErrors failures;
    private final Duration headersTimeout;

    public HttpClientPlayback(EngineAddress engine, EngineExchange exchange, PlaybackAnswers answers,
                       EngineErrors failures, Duration headersTimeout) {
        this.engine = engine;
        this.exchange = exchange;
        this.answers = answers;
        this.failures = failures;
        this.headersTimeout = headersTimeout;
    }

    /** Opens the playback at {@code first}, an https url already checked to be on this engine. */
    public InputStream open(URI first, String what) throws EngineException, InterruptedException {
        URI uri = first;
        long deadline = System.nanoTime() + headersTimeout.toNanos();
        for (int hop = 0; ; hop++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw failures.timeout(what, headersTimeout, null);
            }
            HttpRequest request = exchange.request(uri, Duration.ofNanos(remaining))
                    .header("Accept-Encoding", "identity")
                    .build();
            long start = System.nanoTime();
            HttpResponse<PlaybackAnswer> response = exchange.send(request, HttpClientPlayback::playbackAnswer,
                    remaining, what, headersTimeout, r -> r.body().release());
            int status = response.statusCode();
            EngineExchange.logAnswer(what, uri, status, start);
            if (status == 200) {
                InputStream body = response.body().stream();
                String encoding = response.headers().firstValue("Content-Encoding").orElse("identity");
                if (!encoding.equalsIgnoreCase("identity")) {
                    response.body().release();
                    throw answers.compressed(what, encoding);
                }
                return new PlaybackInput(body, body, what + " from " + engine);
            }
            if (EngineExchange.isRedirect(status)) {
                response.body().release();
                if (hop >= AceEngineClient.MAX_REDIRECTS) {
                    throw answers.tooManyRedirects(what);
                }
                uri = answers.redirectTarget(uri, status, response.headers().firstValue("Location").orElse(null),
                        what);
                continue;
            }
            throw answers.refusal(what, status, EngineAnswers.errorText(response.body().errorBody()));
        }
    }

    private static HttpResponse.BodySubscriber<PlaybackAnswer> playbackAnswer(HttpResponse.ResponseInfo info) {
        if (info.statusCode() == 200) {
            return BodySubscribers.mapping(BodySubscribers.ofInputStream(), PlaybackAnswer::streaming);
        }
        return BodySubscribers.mapping(BoundedBody.prefix(AceEngineClient.MAX_ERROR_BODY_BYTES),
                PlaybackAnswer::refused);
    }

    /** A playback answer: the open body of a 200, or the start of any other answer's body. */
    private record PlaybackAnswer(InputStream stream, byte[] errorBody) {

        static PlaybackAnswer streaming(InputStream stream) {
            return new PlaybackAnswer(stream, null);
        }

        static PlaybackAnswer refused(byte[] body) {
            return new PlaybackAnswer(null, body);
        }

        void release() {
            if (stream != null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "closing an unused playback body failed", e);
                }
            }
        }
    }
}
