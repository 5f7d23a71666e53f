package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.ProxyFixture.ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The token matrix: every method on every path, with no token, a wrong one, the player token and
 * the admin token. Each request comes from its own loopback address, so that the failure throttle
 * (tested on its own in {@link AuthThrottleTest}) does not slow the matrix down.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AccessRolesTest {

    static final String PLAYER_TOKEN = "player-token-0123456789";
    static final String ADMIN_TOKEN = "admin-token-9876543210";

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS");

    enum Credential { NONE, WRONG, PLAYER, ADMIN }

    /** AMBIGUOUS: a path that may or may not resolve to a status path; it must never serve one without the admin token. */
    enum Role { OPEN, PLAYER, ADMIN, AMBIGUOUS }

    record Target(String path, Role role) {
    }

    private static final List<Target> TARGETS = List.of(
            new Target("/healthz", Role.OPEN),
            new Target("/livez", Role.OPEN),
            new Target("/readyz", Role.OPEN),
            // The status page's files: no data in them (the page asks /api/v1/streams with a token).
            new Target("/", Role.OPEN),
            new Target("/status/app.js", Role.OPEN),
            new Target("/status/app.css", Role.OPEN),
            new Target("/status/other.js", Role.PLAYER),
            new Target("/index.html", Role.PLAYER),
            new Target("/;x/../api/v1/streams", Role.AMBIGUOUS),
            new Target("/status/app.js/../../api/v1/streams", Role.AMBIGUOUS),
            new Target("/api/v1/drain", Role.ADMIN),
            new Target("/ace/getstream?id=" + ID, Role.PLAYER),
            new Target("/ace/getstream/?id=" + ID, Role.PLAYER),
            new Target("/nowhere", Role.PLAYER),
            new Target("/HEALTHZ", Role.PLAYER),
            new Target("/healthz/", Role.PLAYER),
            new Target("/ace/status", Role.ADMIN),
            new Target("/ace/status/", Role.ADMIN),
            new Target("/api/v1/streams", Role.ADMIN),
            new Target("/api/v1/streams/", Role.ADMIN),
            new Target("/API/v1/streams", Role.PLAYER),
            new Target("/api/v1/unknown", Role.ADMIN),
            new Target("/metrics", Role.ADMIN),
            new Target("/metrics/", Role.ADMIN),
            // Ways to reach a status path through the open one: Jetty refuses them as ambiguous
            // (400), resolves them to the status path (which then needs the admin token), or
            // serves them as unknown paths (404).
            new Target("//api/v1/streams", Role.AMBIGUOUS),
            new Target("/healthz;a/../api/v1/streams", Role.AMBIGUOUS),
            new Target("/healthz/..;/api/v1/streams", Role.AMBIGUOUS),
            new Target("/healthz/%2e%2e/api/v1/streams", Role.AMBIGUOUS),
            new Target("/healthz%2f..%2fapi/v1/streams", Role.AMBIGUOUS));

    private final AtomicInteger nextAddress = new AtomicInteger(1);
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        proxy = ProxyFixture.start(UnaryOperator.identity(),
                EndpointOptions.DEFAULT.withAccessToken(PLAYER_TOKEN).withAdminToken(ADMIN_TOKEN));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    @Test
    void everyMethodOnEveryPathNeedsItsRolesToken() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Target target : TARGETS) {
            for (String method : METHODS) {
                for (Credential credential : Credential.values()) {
                    RawHttp.Answer answer = send(method, target.path(), credential);
                    String what = method + " " + target.path() + " with " + credential + " -> " + answer.status();
                    if (target.role() == Role.AMBIGUOUS) {
                        if (credential != Credential.ADMIN && (answer.status() < 300 || answer.body().contains("sessions"))) {
                            wrong.add(what + " served without the admin token");
                        }
                        continue;
                    }
                    boolean allowed = switch (target.role()) {
                        case OPEN -> true;
                        case PLAYER -> credential == Credential.PLAYER || credential == Credential.ADMIN;
                        case ADMIN -> credential == Credential.ADMIN;
                        case AMBIGUOUS -> throw new AssertionError();
                    };
                    if (allowed ? answer.status() == 401 || answer.status() == 403 || answer.status() < 0
                            : answer.status() != 401 && answer.status() != 400) {
                        wrong.add(what);
                    }
                    if (answer.status() == 401 && !"Bearer".equals(answer.header("WWW-Authenticate"))) {
                        wrong.add(what + " without WWW-Authenticate");
                    }
                    if (answer.head().contains(PLAYER_TOKEN) || answer.head().contains(ADMIN_TOKEN)
                            || answer.body().contains(PLAYER_TOKEN) || answer.body().contains(ADMIN_TOKEN)) {
                        wrong.add(what + " shows a token");
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void thePlayerTokenDoesNotOpenTheStatus() throws Exception {
        assertThat(proxy.get("/api/v1/streams?token=" + PLAYER_TOKEN).statusCode()).isEqualTo(401);
        assertThat(proxy.get("/metrics?token=" + PLAYER_TOKEN).statusCode()).isEqualTo(401);
        assertThat(proxy.get("/api/v1/streams?token=" + ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(proxy.get("/metrics?token=" + ADMIN_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void refusedRequestsNeverReachTheEngine() throws Exception {
        send("GET", "/ace/getstream?id=" + ID, Credential.NONE);
        send("GET", "/ace/getstream?id=" + ID, Credential.WRONG);
        assertThat(proxy.engine.getstreamCalls()).isZero();
    }

    @Test
    void theTokenWorksInTheQueryAndAsBearer() throws Exception {
        assertThat(proxy.get("/ace/status?token=" + ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(proxy.send(HttpRequest.newBuilder(proxy.uri("/api/v1/streams"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)).statusCode()).isEqualTo(200);
        HttpResponse<InputStream> stream = proxy.http.send(
                HttpRequest.newBuilder(proxy.uri("/ace/getstream?id=" + ID + "&token=" + PLAYER_TOKEN)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = stream.body()) {
            assertThat(stream.statusCode()).isEqualTo(200);
            assertThat(body.readNBytes(188)).hasSize(188);
            assertThat(proxy.get("/api/v1/streams?token=" + ADMIN_TOKEN).body())
                    .doesNotContain(PLAYER_TOKEN).doesNotContain(ADMIN_TOKEN);
        }
    }

    @Test
    void aTokenWithQuerySyntaxInItWorksEncodedInTheQueryAndAsBearer() throws Exception {
        String special = "a+b&c%d=e/f?g#h;i~j:k@l";
        try (ProxyFixture own = ProxyFixture.start(UnaryOperator.identity(),
                EndpointOptions.DEFAULT.withAccessToken(special))) {
            String encoded = URLEncoder.encode(special, StandardCharsets.UTF_8);
            assertThat(own.get("/ace/status?token=" + encoded).statusCode()).isEqualTo(200);
            assertThat(own.send(HttpRequest.newBuilder(own.uri("/ace/status"))
                    .header("Authorization", "Bearer " + special)).statusCode()).isEqualTo(200);
            assertThat(own.get("/ace/status?token=" + encoded.replace("%2B", "%2b") + "x").statusCode())
                    .isEqualTo(401);
        }
    }

    private RawHttp.Answer send(String method, String target, Credential credential) throws Exception {
        String authorization = switch (credential) {
            case NONE -> "";
            case WRONG -> "Authorization: Bearer " + PLAYER_TOKEN + "x\r\n";
            case PLAYER -> "Authorization: Bearer " + PLAYER_TOKEN + "\r\n";
            case ADMIN -> "Authorization: Bearer " + ADMIN_TOKEN + "\r\n";
        };
        String body = method.equals("POST") || method.equals("PUT") ? "Content-Length: 0\r\n" : "";
        byte[] request = (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + authorization + body
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        int n = nextAddress.getAndIncrement();
        return RawHttp.exchangeFrom("127.0." + (n / 250 + 1) + "." + (n % 250 + 2), proxy.server.port(), request);
    }
}
