package dev.aceproxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ListenAddressTest {

    @Test
    void emptyHostMeansEveryInterface() {
        ListenAddress address = ListenAddress.parse(":8080");
        assertThat(address.host()).isEmpty();
        assertThat(address.port()).isEqualTo(8080);
        assertThat(address.allInterfaces()).isTrue();
        assertThat(address.bindHost()).isNull();
    }

    @Test
    void hostAndPort() {
        assertThat(ListenAddress.parse("127.0.0.1:9000")).isEqualTo(new ListenAddress("127.0.0.1", 9000));
        assertThat(ListenAddress.parse("0.0.0.0:80").allInterfaces()).isTrue();
        assertThat(ListenAddress.parse("localhost:0").port()).isZero();
    }

    @Test
    void ipv6InBrackets() {
        ListenAddress address = ListenAddress.parse("[::1]:8080");
        assertThat(address.host()).isEqualTo("::1");
        assertThat(address).hasToString("[::1]:8080");
        assertThat(ListenAddress.parse("[::]:8080").allInterfaces()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "8080", "host:", "host:port", "host:65536", "::1:8080", "[]:80", "a b:80",
        "host:123456", "http://x:80"})
    void rejects(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> ListenAddress.parse(text));
    }
}
