package dev.aceproxy.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/acestream-proxy healthcheck [URL]}: asks a running server's {@code /healthz} and
 * exits 0 when it answers 200, 1 otherwise (another status, no answer within 5 s, a refused
 * connection), so that container and service health checks need no curl. With no URL it asks the
 * server at {@code ACEXY_LISTEN_ADDR} (a wildcard host is asked on 127.0.0.1), or
 * {@code 127.0.0.1:8080}. A URL with no path gets {@code /healthz}.
 */
public final class HealthCheck {

    /** The server answered 200. */
    public static final int HEALTHY = 0;
    /** Anything else. */
    public static final int UNHEALTHY = 1;
    /** The command line or the listen address is invalid. */
    public static final int USAGE = 2;

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private HealthCheck() {
    }

    /**
     * Checks and exits with the status {@link #check} returns.
     *
     * @param args nothing, or the server's url
     */
    public static void main(String[] args) {
        System.exit(check(List.of(args), System.getenv(), System.out, System.err));
    }

    /**
     * Checks once.
     *
     * @param args nothing, or the server's url
     * @param env the environment, for {@code ACEXY_LISTEN_ADDR}
     * @param out where the verdict goes
     * @param err where problems go
     * @return {@link #HEALTHY}, {@link #UNHEALTHY} or {@link #USAGE}
     */
    public static int check(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        URI uri;
        try {
            uri = target(args, env);
        } catch (IllegalArgumentException e) {
            err.println("healthcheck: " + e.getMessage());
            return USAGE;
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                body.readNBytes(4096);
            }
            out.println("healthcheck: " + uri + " answered " + response.statusCode());
            return response.statusCode() == 200 ? HEALTHY : UNHEALTHY;
        } catch (IOException e) {
            err.println("healthcheck: " + uri + ": " + e);
            return UNHEALTHY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNHEALTHY;
        }
    }

    private static URI target(List<String> args, Map<String, String> env) {
        if (args.size() > 1) {
            throw new IllegalArgumentException("takes at most one argument, the server's url");
        }
        if (args.size() == 1) {
            URI uri;
            try {
                uri = URI.create(args.get(0));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"" + args.get(0) + "\" is not a url");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("\"" + args.get(0) + "\" is not an http(s) url");
            }
            String path = uri.getRawPath();
            return path == null || path.isEmpty() || path.equals("/") ? uri.resolve("/healthz") : uri;
        }
        String listen = env.get(SettingsParser.ENV_LISTEN_ADDR);
        ListenAddress address = listen == null || listen.isBlank() ? ListenAddress.DEFAULT : ListenAddress.parse(listen);
        String host = address.allInterfaces() ? "127.0.0.1" : address.host();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.port()
                + "/healthz");
    }
}
