package dev.aceproxy.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A burst of health checks against a slow engine costs it one probe, not one per check. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HealthSingleFlightTest {

    @Test
    void fiftyConcurrentHealthChecksCauseAtMostTwoProbes() throws Exception {
        try (ProxyFixture proxy = ProxyFixture.start(UnaryOperator.identity(), EndpointOptions.DEFAULT);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            proxy.engine.versionDelay(Duration.ofSeconds(1));
            int before = proxy.engine.versionCalls();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(threads.submit(() -> {
                    go.await();
                    return proxy.get("/healthz");
                }));
            }
            go.countDown();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"engines_healthy\":1").doesNotContain("version");
            }
            // One probe for the burst; the registry's own engine watch may add one.
            assertThat(proxy.engine.versionCalls() - before).isBetween(1, 2);
        }
    }
}
