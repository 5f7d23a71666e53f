package dev.aceproxy.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test-side calls to a fake engine: JSON calls through {@link HttpClient}, playbacks over raw sockets. */
final class EngineCalls {

    static final String CONTENT = "0123456789abcdef0123456789abcdef01234567";
    static final String OTHER_CONTENT = "fedcba9876543210fedcba9876543210fedcba98";

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private static final Pattern URLS = Pattern.compile(
            "\"playback_url\": \"([^\"]+)\", \"stat_url\": \"([^\"]+)\", \"command_url\": \"([^\"]+)\"");

    /** The urls of one session. */
    record Session(URI playback, URI stat, URI command) {
        URI stop() {
            return URI.create(command + "?method=stop");
        }
    }

    private EngineCalls() {
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(FakeAceEngine engine, String pathAndQuery) throws IOException, InterruptedException {
        return get(engine.baseUri().resolve(pathAndQuery));
    }

    static Session start(FakeAceEngine engine, String contentId) throws IOException, InterruptedException {
        return start(engine, contentId, "test");
    }

    static Session start(FakeAceEngine engine, String contentId, String pid) throws IOException, InterruptedException {
        HttpResponse<String> response = get(engine, "/ace/getstream?format=json&id=" + contentId + "&pid=" + pid);
        return sessionOf(response.body());
    }

    static Session sessionOf(String getstreamBody) {
        Matcher m = URLS.matcher(getstreamBody);
        if (!m.find()) {
            throw new AssertionError("not a session answer: " + getstreamBody);
        }
        return new Session(URI.create(m.group(1)), URI.create(m.group(2)), URI.create(m.group(3)));
    }

    /** A playback read over a raw socket: the status line and headers already consumed. */
    record RawResponse(Socket socket, String head, InputStream body) implements AutoCloseable {
        int status() {
            return Integer.parseInt(head.substring(9, 12));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static RawResponse open(URI uri) throws IOException {
        Socket socket = request(uri);
        return new RawResponse(socket, readHead(socket.getInputStream()), socket.getInputStream());
    }

    /** Sends a GET for {@code uri} over a new socket and reads nothing. */
    static Socket request(URI uri) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        out.write(("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUser-Agent: test\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return socket;
    }

    /** Reads a response head up to and including its blank line (or EOF). */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Reads exactly {@code n} bytes or until EOF. */
    static byte[] readUpTo(InputStream in, int n) throws IOException {
        return in.readNBytes(n);
    }
}
