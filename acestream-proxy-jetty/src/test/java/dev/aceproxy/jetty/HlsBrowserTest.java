package dev.aceproxy.jetty;

import static dev.aceproxy.jetty.HlsFixture.MANIFEST;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.aceproxy.testkit.Eventually;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real browser plays the HLS url: headless Chromium (DevTools protocol) opens a page, served by
 * this test, that plays it with hls.js (installed from npm by {@code .ci/run}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HlsBrowserTest {

    private static final String STATE = "(function(){var v=document.getElementById('v');"
            + "if(!v||!window.hlsState){return '0|0|';}"
            + "return v.currentTime+'|'+window.hlsState.errors.length+'|'+window.hlsState.errors.join('; ');})()";

    private static String page(String source) {
        return """
                <!doctype html>
                <html><head><meta charset="utf-8"><title>aceproxy HLS</title></head>
                <body>
                <video id="v" muted autoplay playsinline></video>
                <script src="/hls.min.js"></script>
                <script>
                window.hlsState = {errors: []};
                var v = document.getElementById('v');
                v.addEventListener('error', function () {
                  window.hlsState.errors.push('video error ' + (v.error ? v.error.code + ' ' + v.error.message : ''));
                });
                if (!Hls.isSupported()) {
                  window.hlsState.errors.push('hls.js is not supported here');
                } else {
                  var hls = new Hls();
                  hls.on(Hls.Events.ERROR, function (event, data) {
                    window.hlsState.errors.push((data.fatal ? 'fatal ' : '') + data.type + ' ' + data.details);
                  });
                  hls.on(Hls.Events.MANIFEST_PARSED, function () {
                    v.play().catch(function (e) { window.hlsState.errors.push('play: ' + e); });
                  });
                  hls.loadSource('SOURCE');
                  hls.attachMedia(v);
                }
                </script>
                </body></html>
                """.replace("SOURCE", source);
    }

    @Test
    void chromiumPlaysTheHlsUrlWithHlsJsForTenSecondsWithoutAnError() throws Exception {
        Path hlsJs = ExternalTools.hlsJs();
        ExternalTools.require(DevToolsBrowser.available(), "Chromium (" + DevToolsBrowser.CHROMIUM + ")");
        ExternalTools.require(hlsJs != null, "hls.js (" + ExternalTools.HLS_JS + ", npm)");
        HttpServer pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        try (HlsFixture f = HlsFixture.start(HlsFixture.testPolicy())) {
            byte[] script = Files.readAllBytes(hlsJs);
            byte[] html = page(f.uri(MANIFEST).toString()).getBytes(StandardCharsets.UTF_8);
            pages.createContext("/", exchange -> {
                boolean js = exchange.getRequestURI().getPath().equals("/hls.min.js");
                byte[] body = js ? script : html;
                exchange.getResponseHeaders().set("Content-Type",
                        js ? "text/javascript" : "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            pages.start();
            try (DevToolsBrowser browser = DevToolsBrowser.start()) {
                browser.navigate("http://127.0.0.1:" + pages.getAddress().getPort() + "/");
                // Playback starts once the first segments are in.
                List<String> playing = Eventually.within(Duration.ofSeconds(40), Duration.ofMillis(250),
                        "playback starts (currentTime, errors, messages)", () -> List.of(state(browser)), s -> {
                            assertThat(s.get(1)).as("errors before playback: %s", s.get(2)).isEqualTo("0");
                            return Double.parseDouble(s.get(0)) > 0;
                        });
                double start = Double.parseDouble(playing.get(0));
                long startNanos = System.nanoTime();
                List<Double> samples = new ArrayList<>();
                double previous = start;
                while (System.nanoTime() - startNanos < TimeUnit.SECONDS.toNanos(10)) {
                    Thread.sleep(1000); // the scenario: one sample of currentTime a second
                    String[] state = state(browser);
                    double now = Double.parseDouble(state[0]);
                    samples.add(now);
                    assertThat(state[1]).as("errors while playing: %s", state[2]).isEqualTo("0");
                    assertThat(now).as("currentTime advances each second (samples %s)", samples)
                            .isGreaterThan(previous);
                    previous = now;
                }
                assertThat(previous - start).as("seconds played in 10 s (samples %s)", samples)
                        .isGreaterThanOrEqualTo(9.0);
                assertThat(f.engine.getstreamCalls()).isEqualTo(1);
            }
        } finally {
            pages.stop(0);
        }
    }

    private static String[] state(DevToolsBrowser browser) throws Exception {
        return browser.evaluate(STATE).split("\\|", 3);
    }
}
