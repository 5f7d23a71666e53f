package dev.aceproxy.jetty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HostGuardNamesTest {

    @Test
    void hostHeadersAreReadWithoutPortsOrBrackets() {
        assertThat(HostGuard.hostOf("Example.LAN:8080")).isEqualTo("example.lan");
        assertThat(HostGuard.hostOf("[::1]:80")).isEqualTo("::1");
        assertThat(HostGuard.hostOf("tv.lan.")).isEqualTo("tv.lan");
        assertThat(HostGuard.hostOf("[::1")).isNull();
        assertThat(HostGuard.hostOf("a:b:c")).isNull();
    }

    @Test
    void loopbackIsTheLoopbackNetworkAndLocalhostOnly() {
        assertThat(HostGuard.isLoopback("127.0.0.1")).isTrue();
        assertThat(HostGuard.isLoopback("127.255.1.9")).isTrue();
        assertThat(HostGuard.isLoopback("app.localhost")).isTrue();
        assertThat(HostGuard.isLoopback("127.0.0.1.nip.io")).isFalse();
        assertThat(HostGuard.isLoopback("127.0.0.256")).isFalse();
        assertThat(HostGuard.isLoopback("localhost.evil.example")).isFalse();
        assertThat(new HostGuard(Set.of("tv.lan")).allowed("tv.lan")).isTrue();
        assertThat(new HostGuard(Set.of("tv.lan")).allowed(null)).isFalse();
    }

    @Test
    void aServerBoundToEveryInterfaceListensAsItsAddresses() {
        assertThat(ListenNames.of(null)).contains("127.0.0.1");
        assertThat(ListenNames.of("127.0.0.1")).containsExactly("127.0.0.1");
    }
}
