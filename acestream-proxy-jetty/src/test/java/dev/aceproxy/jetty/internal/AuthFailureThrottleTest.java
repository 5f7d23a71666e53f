package dev.aceproxy.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailureThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AuthFailureThrottle throttle = new AuthFailureThrottle(now::get);

    private Duration failAndAnswer(String address) {
        AuthFailureThrottle.Verdict verdict = throttle.failed(address);
        assertThat(verdict).isInstanceOf(AuthFailureThrottle.Wait.class);
        throttle.waited(address);
        return ((AuthFailureThrottle.Wait) verdict).delay();
    }

    @Test
    void freeFailuresThenDoublingDelaysUpToTheCap() {
        for (int i = 0; i < AuthFailureThrottle.FREE_FAILURES; i++) {
            assertThat(failAndAnswer("a")).isZero();
        }
        assertThat(failAndAnswer("a")).isEqualTo(Duration.ofMillis(250));
        assertThat(failAndAnswer("a")).isEqualTo(Duration.ofMillis(500));
        assertThat(failAndAnswer("a")).isEqualTo(Duration.ofSeconds(1));
        assertThat(failAndAnswer("a")).isEqualTo(Duration.ofSeconds(2));
        assertThat(failAndAnswer("a")).isEqualTo(AuthFailureThrottle.MAX_DELAY);
        for (int i = 0; i < 100; i++) {
            assertThat(failAndAnswer("a")).isEqualTo(AuthFailureThrottle.MAX_DELAY);
        }
        assertThat(failAndAnswer("b")).isZero();
    }

    @Test
    void tooManyWaitingAnswersAreRefusedAtOnce() {
        for (int i = 0; i < AuthFailureThrottle.FREE_FAILURES; i++) {
            failAndAnswer("a");
        }
        for (int i = 0; i < AuthFailureThrottle.MAX_WAITING; i++) {
            assertThat(throttle.failed("a")).isInstanceOf(AuthFailureThrottle.Wait.class);
        }
        assertThat(throttle.failed("a")).isInstanceOf(AuthFailureThrottle.Refuse.class);
        throttle.waited("a");
        assertThat(throttle.failed("a")).isInstanceOf(AuthFailureThrottle.Wait.class);
    }

    @Test
    void failuresAreForgottenAfterTheWindowOrARightToken() {
        for (int i = 0; i < AuthFailureThrottle.FREE_FAILURES + 3; i++) {
            failAndAnswer("a");
            failAndAnswer("b");
        }
        now.addAndGet(AuthFailureThrottle.WINDOW.toNanos());
        assertThat(failAndAnswer("a")).isZero();
        throttle.succeeded("b");
        assertThat(failAndAnswer("b")).isZero();
    }

    @Test
    void theTableIsBoundedAndNewAddressesAreNotPunishedWhenItIsFull() {
        for (int i = 0; i < AuthFailureThrottle.MAX_ADDRESSES + 500; i++) {
            failAndAnswer("10.0." + (i / 250) + "." + (i % 250));
        }
        assertThat(throttle.addresses()).isEqualTo(AuthFailureThrottle.MAX_ADDRESSES);
        now.addAndGet(AuthFailureThrottle.WINDOW.toNanos());
        failAndAnswer("192.0.2.1");
        assertThat(throttle.addresses()).isEqualTo(1);
    }
}
