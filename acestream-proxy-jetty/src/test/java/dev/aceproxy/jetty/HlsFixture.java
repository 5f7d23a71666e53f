package dev.aceproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.engine.AceEngineClient;
import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.registry.Limits;
import dev.aceproxy.registry.RetryPolicy;
import dev.aceproxy.registry.SessionPolicy;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.testkit.FakeAceEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A fake engine (default, ragged profile), a registry and the proxy with HLS, on loopback port 0. */
final class HlsFixture implements AutoCloseable {

    static final String ID = ProxyFixture.ID;
    static final String MANIFEST = "/ace/manifest.m3u8?id=" + ID;

    final FakeAceEngine engine;
    final AceEngineClient client;
    final StreamRegistry registry;
    final AceProxyHttpServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HlsFixture(FakeAceEngine engine, HlsPolicy policy, EndpointOptions options, Limits limits)
            throws IOException {
        this.engine = engine;
        this.client = AceEngineClient.newBuilder().baseUri(engine.baseUri()).getstreamTimeout(Duration.ofSeconds(2))
                .connectTimeout(Duration.ofSeconds(1)).build();
        this.registry = StreamRegistry.newBuilder().engine(client)
                .sessionPolicy(SessionPolicy.DEFAULT.withStartTimeout(Duration.ofSeconds(5)).withLinger(Duration.ZERO))
                .retryPolicy(new RetryPolicy(Duration.ofMillis(20), 2.0, Duration.ofMillis(100), 0.0, 2,
                        Duration.ofSeconds(30)))
                .limits(limits)
                .build();
        this.server = AceProxyHttpServer.newBuilder().registry(registry).port(0).options(options).hlsPolicy(policy)
                .stopTimeout(Duration.ofMillis(1)).build();
        server.start();
    }

    static HlsFixture start(HlsPolicy policy) throws IOException {
        return start(policy, EndpointOptions.DEFAULT);
    }

    static HlsFixture start(HlsPolicy policy, EndpointOptions options) throws IOException {
        return start(policy, options, Limits.UNLIMITED);
    }

    static HlsFixture start(HlsPolicy policy, EndpointOptions options, Limits limits) throws IOException {
        return start(FakeAceEngine.start(), policy, options, limits);
    }

    /** Starts a proxy in front of {@code engine}, which the fixture then owns. */
    static HlsFixture start(FakeAceEngine engine, HlsPolicy policy, EndpointOptions options, Limits limits)
            throws IOException {
        try {
            return new HlsFixture(engine, policy, options, limits);
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** The default policy with a start timeout that fits a test. */
    static HlsPolicy testPolicy() {
        return HlsPolicy.DEFAULT.withStartTimeout(Duration.ofSeconds(15));
    }

    URI uri(String pathAndQuery) {
        return URI.create(server.baseUri() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery, String userAgent) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).header("User-Agent", userAgent)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Fetches the playlist as a viewer and parses it; fails unless it is a 200. */
    Playlist playlist(String userAgent) throws IOException, InterruptedException {
        HttpResponse<String> r = get(MANIFEST, userAgent);
        assertThat(r.statusCode()).as("playlist: %s", r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith(HlsServlet.PLAYLIST_TYPE));
        return Playlist.parse(r.body());
    }

    /** Fetches a segment the playlist lists (its uri is relative to the playlist's). */
    HttpResponse<byte[]> segment(String relativeUri, String userAgent) throws IOException, InterruptedException {
        URI u = uri(MANIFEST).resolve(relativeUri);
        return http.send(HttpRequest.newBuilder(u).header("User-Agent", userAgent).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        server.close();
        registry.close();
        client.close();
        engine.close();
        http.close();
    }

    /** A parsed media playlist. */
    record Playlist(String text, long mediaSequence, int targetDuration, List<Entry> entries) {

        static Playlist parse(String text) {
            assertThat(text).startsWith("#EXTM3U\n");
            long sequence = -1;
            int target = -1;
            List<Entry> entries = new ArrayList<>();
            boolean discontinuity = false;
            double duration = -1;
            String dateTime = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                    sequence = Long.parseLong(line.substring(line.indexOf(':') + 1));
                } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                    target = Integer.parseInt(line.substring(line.indexOf(':') + 1));
                } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                    discontinuity = true;
                } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                    dateTime = line.substring(line.indexOf(':') + 1);
                } else if (line.startsWith("#EXTINF:")) {
                    duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
                } else if (!line.startsWith("#") && !line.isEmpty()) {
                    assertThat(duration).as("EXTINF before %s", line).isGreaterThanOrEqualTo(0);
                    assertThat(dateTime).as("PROGRAM-DATE-TIME before %s", line).isNotNull();
                    entries.add(new Entry(sequence + entries.size(), duration, discontinuity, line));
                    discontinuity = false;
                    duration = -1;
                    dateTime = null;
                }
            }
            assertThat(sequence).as("MEDIA-SEQUENCE").isGreaterThanOrEqualTo(0);
            assertThat(target).as("TARGETDURATION").isPositive();
            return new Playlist(text, sequence, target, List.copyOf(entries));
        }

        Entry last() {
            return entries.get(entries.size() - 1);
        }
    }

    /** One listed segment. */
    record Entry(long sequence, double duration, boolean discontinuity, String uri) {
    }
}
