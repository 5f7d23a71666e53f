package dev.aceproxy.testkit;

import static dev.aceproxy.testkit.EngineCalls.CONTENT;
import static dev.aceproxy.testkit.EngineCalls.OTHER_CONTENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(15)
class CloseTest {

    @TempDir
    Path dumps;

    @AutoClose
    FakeAceEngine closedByJUnit;

    @Test
    void closeEndsEveryThreadAndConnectionEvenWithHangingRequests() throws Exception {
        int threadsBefore = engineThreads();
        FakeAceEngine engine = FakeAceEngine.builder().bitrate(800_000).start();
        int port = engine.port();
        EngineCalls.Session stalled = EngineCalls.start(engine, CONTENT);
        EngineCalls.Session streaming = EngineCalls.start(engine, OTHER_CONTENT);
        EngineCalls.RawResponse stalledPlayback = EngineCalls.open(stalled.playback());
        stalledPlayback.body().readNBytes(188);
        engine.stallPlaybacks(Duration.ofMinutes(5));
        EngineCalls.RawResponse streamingPlayback = EngineCalls.open(streaming.playback());
        engine.getstreamFault(GetstreamFault.noAnswer());
        engine.hangStop(true);
        CompletableFuture<HttpResponse<String>> hangingGetstream = EngineCalls.CLIENT.sendAsync(
                HttpRequest.newBuilder(engine.baseUri().resolve("/ace/getstream?format=json&id=" + CONTENT)).build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> hangingStop = EngineCalls.CLIENT.sendAsync(
                HttpRequest.newBuilder(stalled.stop()).build(), HttpResponse.BodyHandlers.ofString());
        Socket silent = new Socket("127.0.0.1", port);
        silent.setSoTimeout(5_000);
        awaitCalls(engine);
        assertThat(engineThreads()).isGreaterThan(threadsBefore + 5);

        long closing = System.nanoTime();
        engine.close();
        Duration took = Duration.ofNanos(System.nanoTime() - closing);

        assertThat(took).isLessThan(Duration.ofSeconds(3));
        // a worker leaves the engine's books just before its thread ends; threads of engines closed
        // by earlier tests may still be ending too, so the count may fall below the first one
        Eventually.within(Duration.ofSeconds(5), "engine threads back to at most " + threadsBefore,
                this::engineThreads, threads -> threads <= threadsBefore);
        assertThat(PlaybackTest.drainsToEnd(stalledPlayback.body())).isTrue();
        assertThat(PlaybackTest.drainsToEnd(streamingPlayback.body())).isTrue();
        assertThat(hangingGetstream).failsWithin(Duration.ofSeconds(5));
        assertThat(hangingStop).failsWithin(Duration.ofSeconds(5));
        assertThat(PlaybackTest.drainsToEnd(silent.getInputStream())).isTrue();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        assertThat(engine.isListening()).isFalse();
        engine.close(); // idempotent
        stalledPlayback.close();
        streamingPlayback.close();
        silent.close();
    }

    @Test
    void worksAsAJUnitAutoCloseField() throws Exception {
        closedByJUnit = FakeAceEngine.start();

        assertThat(EngineCalls.get(closedByJUnit, "/webui/api/service?method=get_version").statusCode()).isEqualTo(200);
    }

    private static void awaitCalls(FakeAceEngine engine) throws InterruptedException {
        Eventually.within(Duration.ofSeconds(10), "three getstreams and a stop at the engine",
                () -> engine.getstreamCalls() >= 3 && engine.stopCalls() >= 1);
        assertThat(engine.getstreamCalls()).isEqualTo(3);
        assertThat(engine.stopCalls()).isEqualTo(1);
    }

    /** Counts this JVM's engine threads, virtual ones included, from a JSON thread dump. */
    private int engineThreads() throws IOException {
        Path dump = Files.createTempFile(dumps, "threads", ".json");
        Files.delete(dump);
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        Matcher m = Pattern.compile("\"name\": \"" + Pattern.quote(FakeAceEngine.THREAD_NAME_PREFIX))
                .matcher(Files.readString(dump));
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }
}
