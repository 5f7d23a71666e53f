package dev.aceproxy.engine.internal;

import dev.aceproxy.engine.EngineUnavailableException;
import dev.aceproxy.engine.EngineProtocolException;
import dev.aceproxy.engine.EngineException;
import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.internal.json.JsonObject;
import dev.aceproxy.internal.json.JsonParseException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The client's requests through its {@link HttpClient}: each is an HTTP/1.1 {@code GET} with the
 * configured {@code User-Agent}, bounded in time, and cancelled (which closes its connection) on a
 * timeout or an interrupt. A JSON call reads a whole answer of at most
 * {@link AceEngineClient#MAX_ANSWER_BYTES}. The exchange owns an {@code HttpClient} it created and
 * shuts it down in {@link #close()}; one it was given is never closed.
 */
public final class EngineExchange {

    private static final System.Logger LOG = System.getLogger(AceEngineClient.class.getName());
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final HttpClient http;
    private final ExecutorService ownExecutor;
    private final String userAgent;
    private final EngineErrors failures;

    private EngineExchange(HttpClient http, ExecutorService ownExecutor, String userAgent, EngineErrors failures) {
        this.http = http;
        this.ownExecutor = ownExecutor;
        this.userAgent = userAgent;
        this.failures = failures;
    }

    /** Sends through a supplied {@code HttpClient}, which its supplier keeps owning. */
    public static EngineExchange through(HttpClient supplied, String userAgent, EngineErrors failures) {
        return new EngineExchange(supplied, null, userAgent, failures);
    }

    /**
     * Creates an {@code HttpClient} of its own (HTTP/1.1, no redirects, the connect timeout, named
     * virtual threads), which {@link #close()} shuts down.
     */
    public static EngineExchange ownClient(Duration connectTimeout, String userAgent, EngineErrors failures) {
        ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("aceproxy-engine-http-", 0).factory());
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
        return new EngineExchange(http, executor, userAgent, failures);
    }

    /**
     * Checks a {@code User-Agent} value: non-blank printable ASCII, since the socket playback writes
     * it into its request as is.
     *
     * @return the value
     * @throws IllegalArgumentException if it is null, blank or has other characters
     */
    public static String checkUserAgent(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            throw new IllegalArgumentException("userAgent must not be blank");
        }
        for (int i = 0; i < userAgent.length(); i++) {
            char c = userAgent.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("userAgent must be printable ASCII, character " + (i + 1)
                        + " is " + String.format("U+%04X", (int) c));
            }
        }
        return userAgent;
    }

    /** Starts a {@code GET} for the url, bounded by {@code timeout}, with the client's headers. */
    public HttpRequest.Builder request(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri)
                .GET()
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(timeout)
                .header("User-Agent", userAgent);
    }

    /**
     * One bounded JSON call: returns the parsed body of a 2xx answer, or throws the precise
     * failure (a redirect is refused where JSON is expected).
     */
    public JsonObject json(URI uri, Duration timeout, String what) throws EngineException, InterruptedException {
        return json(uri, timeout, what, null);
    }

    /**
     * One bounded JSON call that follows redirects where {@code redirects} leads them (at most
     * {@link AceEngineClient#MAX_REDIRECTS}), all within {@code timeout}; without {@code redirects}
     * a redirect is refused. Bodies may be framed by length, by chunks or by the connection's close.
     */
    public JsonObject json(URI first, Duration timeout, String what, JsonRedirects redirects)
            throws EngineException, InterruptedException {
        URI uri = first;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int hop = 0; ; hop++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw failures.timeout(what, timeout, null);
            }
            HttpRequest request = request(uri, Duration.ofNanos(remaining))
                    .header("Accept", "application/json")
                    .build();
            long start = System.nanoTime();
            HttpResponse<byte[]> response = send(request,
                    info -> info.statusCode() / 100 == 2
                            ? BoundedBody.complete(AceEngineClient.MAX_ANSWER_BYTES)
                            : BoundedBody.prefix(AceEngineClient.MAX_ERROR_BODY_BYTES),
                    remaining, what, timeout, r -> { });
            int status = response.statusCode();
            logAnswer(what, uri, status, start);
            if (isRedirect(status)) {
                if (redirects == null) {
                    throw new EngineProtocolException(failures.engineName() + " answered " + what
                            + " with a redirect (HTTP " + status + ") where JSON was expected");
                }
                if (hop >= AceEngineClient.MAX_REDIRECTS) {
                    throw new EngineProtocolException(failures.engineName() + " redirected " + what
                            + " more than " + AceEngineClient.MAX_REDIRECTS + " times");
                }
                uri = redirects.target(uri, status, response.headers().firstValue("Location").orElse(null), what);
                continue;
            }
            if (status / 100 != 2) {
                throw failures.httpError(what, status, EngineAnswers.errorText(response.body()));
            }
            try {
                return EngineAnswers.parse(response.body());
            } catch (JsonParseException e) {
                throw failures.notJson(what, e);
            }
        }
    }

    /**
     * Sends a request and waits for its answer, at most {@code timeoutNanos}. On a timeout or an
     * interrupt the exchange is cancelled, which closes its connection; an answer that completes
     * when it will not be returned is handed to {@code release}.
     *
     * <p>The exchange runs on a virtual thread of its own with {@code HttpClient.send}, never on
     * the JDK's default asynchronous pool: {@code sendAsync} hands its result over through that
     * pool, so an application that keeps the pool busy would stall every engine call.
     */
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler, long timeoutNanos,
                             String what, Duration bound, Consumer<HttpResponse<T>> release)
            throws EngineException, InterruptedException {
        CompletableFuture<HttpResponse<T>> answer = new CompletableFuture<>();
        Thread exchange = Thread.ofVirtual().name("aceproxy-engine-call").start(() -> {
            try {
                HttpResponse<T> response = http.send(request, handler);
                if (!answer.complete(response)) {
                    release.accept(response);
                }
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        try {
            return answer.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.DEBUG, () -> what + ": no answer from " + request.uri() + " within "
                    + EngineErrors.describe(bound));
            if (!answer.cancel(true) && answer.isDone() && !answer.isCompletedExceptionally()) {
                return answer.join();
            }
            exchange.interrupt();
            throw failures.timeout(what, bound, e);
        } catch (InterruptedException e) {
            if (!answer.cancel(true) && answer.isDone() && !answer.isCompletedExceptionally()) {
                release.accept(answer.join());
            }
            exchange.interrupt();
            throw e;
        } catch (ExecutionException | CancellationException e) {
            LOG.log(Level.DEBUG, () -> what + ": request to " + request.uri() + " failed: " + e.getCause());
            if (e.getCause() instanceof IllegalStateException || e.getCause() instanceof IllegalArgumentException) {
                // a supplied HttpClient that was shut down, or one that refuses the request
                throw new EngineUnavailableException(failures.engineName() + " cannot be asked " + what + ": "
                        + e.getCause().getMessage(), null, e.getCause());
            }
            throw failures.failure(e, what, bound);
        }
    }

    /**
     * Shuts down an {@code HttpClient} this exchange created: exchanges still open fail, and its
     * threads end within a short grace. A supplied one is left alone. If the calling thread is
     * interrupted while waiting, it returns early with the interrupt status set.
     */
    public void close() {
        if (ownExecutor == null) {
            return;
        }
        http.shutdownNow();
        try {
            http.awaitTermination(CLOSE_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ownExecutor.shutdownNow();
        }
    }

    /** Whether the status is a redirect this client knows. */
    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Logs an answer's status and how long it took, at debug level. */
    public static void logAnswer(String what, URI uri, int status, long startNanos) {
        LOG.log(Level.DEBUG, () -> what + ": HTTP " + status + " from " + uri + " in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms");
    }
}
