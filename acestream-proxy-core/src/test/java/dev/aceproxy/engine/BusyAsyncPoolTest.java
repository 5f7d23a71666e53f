package dev.aceproxy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aceproxy.testkit.FakeAceEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An application that embeds the proxy may keep the JDK's default asynchronous pool (the one
 * {@code CompletableFuture.runAsync} uses) busy with blocking work. Engine calls must not depend on
 * that pool: they still answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BusyAsyncPoolTest {

    @Test
    void engineCallsAnswerWhileTheDefaultAsyncPoolIsBlocked() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Void>> blockers = new ArrayList<>();
        try (FakeAceEngine engine = FakeAceEngine.start();
             AceEngineClient client = AceEngineClient.newBuilder().baseUri(engine.baseUri())
                     .getstreamTimeout(Duration.ofSeconds(5)).build()) {
            ContentId content = ContentId.id("0123456789abcdef0123456789abcdef01234567");
            // Every worker the default pool has, and more, wait on the latch.
            int workers = Math.max(4, Runtime.getRuntime().availableProcessors() * 4);
            for (int i = 0; i < workers; i++) {
                blockers.add(CompletableFuture.runAsync(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            EngineVersion version = client.probe();
            assertThat(version.version()).isNotBlank();
            EngineSession session = client.startSession(content, java.util.Map.of());
            assertThat(session.content()).isEqualTo(content);
            client.stop(session);
            assertThat(engine.sessionsOutstanding()).isZero();
        } finally {
            release.countDown();
            for (CompletableFuture<Void> blocker : blockers) {
                blocker.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
