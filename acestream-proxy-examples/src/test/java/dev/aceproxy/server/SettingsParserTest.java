package dev.aceproxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aceproxy.engine.ContentId;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class SettingsParserTest {

    private static final String ID = "0123456789abcdef0123456789abcdef01234567";

    private static ServerSettings parse(Map<String, String> env, String... args) throws InvalidSettingException {
        SettingsParser.Invocation invocation = SettingsParser.parse(List.of(args), env);
        assertThat(invocation.help()).isFalse();
        return invocation.settings();
    }

    @Test
    void defaultsWithoutFlagsOrEnvironment() throws Exception {
        ServerSettings settings = parse(Map.of());
        assertThat(settings).isEqualTo(ServerSettings.defaults());
        assertThat(settings.listen()).isEqualTo(new ListenAddress("127.0.0.1", 8080));
        assertThat(settings.engines()).containsExactly(URI.create("http://127.0.0.1:6878"));
        assertThat(settings.queueBytes()).isEqualTo(4L << 20);
        assertThat(settings.overflow()).isEqualTo(ServerSettings.Overflow.DISCONNECT);
        assertThat(settings.accessToken()).isEmpty();
        assertThat(settings.demo()).isFalse();
    }

    @Test
    void everyFlag() throws Exception {
        ServerSettings settings = parse(Map.of(),
                "--listen", ":9090", "--engine", "http://10.0.0.5:6878", "--engine=http://10.0.0.6:6878/",
                "--linger", "1m", "--start-timeout=45s", "--no-data-timeout", "1m30s", "--getstream-timeout", "20s",
                "--queue-bytes", "8MiB", "--overflow", "skip", "--max-streams", "3", "--max-clients", "100",
                "--max-clients-per-stream", "20", "--access-token", "s3cret-0123456789", "--probe", ID.toUpperCase(),
                "--probe-duration", "5s");
        assertThat(settings.listen()).isEqualTo(new ListenAddress("", 9090));
        assertThat(settings.engines()).containsExactly(URI.create("http://10.0.0.5:6878"),
                URI.create("http://10.0.0.6:6878"));
        assertThat(settings.linger()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(settings.noDataTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.getstreamTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.queueBytes()).isEqualTo(8L << 20);
        assertThat(settings.overflow()).isEqualTo(ServerSettings.Overflow.SKIP);
        assertThat(settings.maxStreams()).isEqualTo(3);
        assertThat(settings.maxClients()).isEqualTo(100);
        assertThat(settings.maxClientsPerStream()).isEqualTo(20);
        assertThat(settings.accessToken()).contains("s3cret-0123456789");
        assertThat(settings.probe()).contains(ContentId.id(ID));
        assertThat(settings.probeDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.probeReport()).isEmpty();
    }

    @Test
    void acexyEnvironmentCarriesOver() throws Exception {
        ServerSettings settings = parse(Map.of(
                "ACEXY_LISTEN_ADDR", ":8080",
                "ACEXY_HOST", "acestream",
                "ACEXY_PORT", "6879",
                "ACEXY_SCHEME", "http",
                "ACEXY_EMPTY_TIMEOUT", "1m",
                "ACEXY_NO_RESPONSE_TIMEOUT", "15s",
                "ACEXY_BUFFER_SIZE", "4.2MB"));
        assertThat(settings.listen().allInterfaces()).isTrue();
        assertThat(settings.listen().port()).isEqualTo(8080);
        assertThat(settings.engines()).containsExactly(URI.create("http://acestream:6879"));
        assertThat(settings.noDataTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.getstreamTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.queueBytes()).isEqualTo(4_200_000L);
    }

    @Test
    void partialEngineEnvironmentFillsTheRestWithDefaults() throws Exception {
        assertThat(parse(Map.of("ACEXY_PORT", "7000")).engines()).containsExactly(URI.create("http://127.0.0.1:7000"));
        assertThat(parse(Map.of("ACEXY_HOST", "engine.lan")).engines())
                .containsExactly(URI.create("http://engine.lan:6878"));
        assertThat(parse(Map.of("ACEXY_SCHEME", "https")).engines())
                .containsExactly(URI.create("https://127.0.0.1:6878"));
        assertThat(parse(Map.of("ACEXY_HOST", "::1")).engines()).containsExactly(URI.create("http://[::1]:6878"));
    }

    @Test
    void flagsWinOverEnvironment() throws Exception {
        ServerSettings settings = parse(Map.of(
                        "ACEXY_LISTEN_ADDR", ":8080", "ACEXY_HOST", "acestream", "ACEXY_EMPTY_TIMEOUT", "1m",
                        "ACEXY_NO_RESPONSE_TIMEOUT", "15s", "ACEXY_BUFFER_SIZE", "4.2MB",
                        "ACEPROXY_ACCESS_TOKEN", "from-env-0123456789"),
                "--listen", "127.0.0.1:0", "--engine", "http://127.0.0.1:7001", "--no-data-timeout", "20s",
                "--getstream-timeout", "5s", "--queue-bytes", "1MiB", "--access-token", "from-flag-0123456789");
        assertThat(settings.listen()).isEqualTo(new ListenAddress("127.0.0.1", 0));
        assertThat(settings.engines()).containsExactly(URI.create("http://127.0.0.1:7001"));
        assertThat(settings.noDataTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.getstreamTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.queueBytes()).isEqualTo(1L << 20);
        assertThat(settings.accessToken()).contains("from-flag-0123456789");
    }

    @Test
    void invalidEnvironmentIsIgnoredWhenAFlagOverridesIt() throws Exception {
        assertThat(parse(Map.of("ACEXY_EMPTY_TIMEOUT", "soon"), "--no-data-timeout", "5s").noDataTimeout())
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void emptyEnvironmentVariablesCountAsUnset() throws Exception {
        assertThat(parse(Map.of("ACEXY_HOST", "", "ACEXY_EMPTY_TIMEOUT", ""))).isEqualTo(ServerSettings.defaults());
    }

    @Test
    void tokenComesFromTheEnvironmentToo() throws Exception {
        assertThat(parse(Map.of("ACEPROXY_ACCESS_TOKEN", "t0k3n-0123456789")).accessToken())
                .contains("t0k3n-0123456789");
        assertThat(parse(Map.of("ACEPROXY_ADMIN_TOKEN", "admin-0123456789ab")).adminToken())
                .contains("admin-0123456789ab");
    }

    @Test
    void adminTokenAndAllowedHostsAreRead() throws Exception {
        ServerSettings settings = parse(Map.of("ACEPROXY_ALLOWED_HOSTS", "ignored.example"),
                "--access-token", "player-0123456789", "--admin-token", "admin-0123456789ab",
                "--allowed-hosts", "tv.lan, NAS.local");
        assertThat(settings.accessToken()).contains("player-0123456789");
        assertThat(settings.adminToken()).contains("admin-0123456789ab");
        assertThat(settings.allowedHosts()).containsExactly("tv.lan", "NAS.local");
        assertThat(settings.toString()).doesNotContain("0123456789").contains("admin-token=set");
        assertThat(parse(Map.of("ACEPROXY_ALLOWED_HOSTS", "a.example,b.example")).allowedHosts())
                .containsExactly("a.example", "b.example");
        for (String bad : List.of("tv.lan:8080", "", "a b", "x/y")) {
            assertThatThrownBy(() -> SettingsParser.parse(List.of("--allowed-hosts", bad), Map.of()))
                    .isInstanceOfSatisfying(InvalidSettingException.class,
                            e -> assertThat(e.setting()).isEqualTo("--allowed-hosts"));
        }
    }

    @Test
    void hlsSegmentDurationAndWindowAreRead() throws Exception {
        ServerSettings settings = parse(Map.of(), "--hls-segment-duration", "4s", "--hls-window", "8");
        assertThat(settings.hlsSegmentDuration()).isEqualTo(Duration.ofSeconds(4));
        assertThat(settings.hlsWindow()).isEqualTo(8);
        assertThat(ServerSettings.defaults().hlsSegmentDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ServerSettings.defaults().hlsWindow()).isEqualTo(6);
        for (List<String> bad : List.of(List.of("--hls-segment-duration", "2m"), List.of("--hls-segment-duration", "10ms"),
                List.of("--hls-window", "1"))) {
            assertThatThrownBy(() -> SettingsParser.parse(bad, Map.of()))
                    .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo(bad.get(0)));
        }
    }

    @Test
    void openAccessIsWarnedAbout() throws Exception {
        assertThat(SettingsParser.parse(List.of("--listen", ":8080"), Map.of()).notices())
                .anySatisfy(n -> assertThat(n).startsWith("WARNING: listening on").contains("without an access token"));
        assertThat(SettingsParser.parse(List.of("--listen", "127.0.0.1:8080"), Map.of()).notices())
                .noneSatisfy(n -> assertThat(n).contains("without an access token"));
        assertThat(SettingsParser.parse(List.of("--listen", ":8080", "--access-token", "player-0123456789"),
                Map.of()).notices())
                .noneSatisfy(n -> assertThat(n).contains("without an access token"))
                .anySatisfy(n -> assertThat(n).startsWith("--admin-token is not set"));
        assertThat(SettingsParser.parse(List.of("--access-token", "player-0123456789", "--admin-token",
                "admin-0123456789ab"), Map.of()).notices()).isEmpty();
    }

    @Test
    void ignoredAcexyVariablesAreNoted() throws Exception {
        SettingsParser.Invocation invocation = SettingsParser.parse(List.of(),
                Map.of("ACEXY_M3U8", "true", "ACEXY_M3U8_STREAM_TIMEOUT", "1m", "ACEXY_TYPO", "1"));
        assertThat(invocation.notices()).anySatisfy(n -> assertThat(n).startsWith("ACEXY_M3U8 is ignored"))
                .anySatisfy(n -> assertThat(n).startsWith("ACEXY_M3U8_STREAM_TIMEOUT is ignored"))
                .anySatisfy(n -> assertThat(n).startsWith("ACEXY_TYPO is not a setting"));
    }

    @Test
    void helpShortCircuits() throws Exception {
        assertThat(SettingsParser.parse(List.of("--linger", "1s", "--help"), Map.of()).help()).isTrue();
        assertThat(SettingsParser.parse(List.of("-h"), Map.of()).help()).isTrue();
    }

    @Test
    void demoKeepsAPlaceholderEngine() throws Exception {
        ServerSettings settings = parse(Map.of("ACEXY_HOST", "elsewhere"), "--demo");
        assertThat(settings.demo()).isTrue();
    }

    @Test
    void drainTimeoutByFlagOrEnvironmentFlagWinning() throws Exception {
        assertThat(parse(Map.of()).drainTimeout()).isEqualTo(Duration.ZERO);
        assertThat(parse(Map.of(), "--drain-timeout", "20s").drainTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(parse(Map.of("ACEPROXY_DRAIN_TIMEOUT", "1m")).drainTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(parse(Map.of("ACEPROXY_DRAIN_TIMEOUT", "1m"), "--drain-timeout=5s").drainTimeout())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(parse(Map.of(), "--drain-timeout", "20s").toString()).contains("drain-timeout=20s");
    }

    @Test
    void toStringNeverShowsTheToken() throws Exception {
        ServerSettings settings = parse(Map.of(), "--access-token", "very-secret-token");
        assertThat(settings.toString()).doesNotContain("very-secret-token").contains("access-token=set");
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of(Map.of(), List.of("--linger", "forever"), "--linger", "forever"),
                Arguments.of(Map.of(), List.of("--linger", "-1s"), "--linger", "-1s"),
                Arguments.of(Map.of(), List.of("--drain-timeout", "-1s"), "--drain-timeout", "-1s"),
                Arguments.of(Map.of(), List.of("--drain-timeout", "30"), "--drain-timeout", "30"),
                Arguments.of(Map.of("ACEPROXY_DRAIN_TIMEOUT", "soon"), List.of(), "ACEPROXY_DRAIN_TIMEOUT", "soon"),
                Arguments.of(Map.of(), List.of("--start-timeout", "0"), "--start-timeout", "0"),
                Arguments.of(Map.of(), List.of("--start-timeout", "10"), "--start-timeout", "10"),
                Arguments.of(Map.of(), List.of("--no-data-timeout", "1x"), "--no-data-timeout", "1x"),
                Arguments.of(Map.of(), List.of("--getstream-timeout", "-5s"), "--getstream-timeout", "-5s"),
                Arguments.of(Map.of(), List.of("--probe-duration", "0s"), "--probe-duration", "0s"),
                Arguments.of(Map.of(), List.of("--queue-bytes", "lots"), "--queue-bytes", "lots"),
                Arguments.of(Map.of(), List.of("--queue-bytes", "1KiB"), "--queue-bytes", "1KiB"),
                Arguments.of(Map.of(), List.of("--overflow", "drop"), "--overflow", "drop"),
                Arguments.of(Map.of(), List.of("--max-streams", "-1"), "--max-streams", "-1"),
                Arguments.of(Map.of(), List.of("--max-clients", "many"), "--max-clients", "many"),
                Arguments.of(Map.of(), List.of("--max-clients-per-stream", "1e3"), "--max-clients-per-stream", "1e3"),
                Arguments.of(Map.of(), List.of("--listen", "8080"), "--listen", "8080"),
                Arguments.of(Map.of(), List.of("--listen", "host:99999"), "--listen", "host:99999"),
                Arguments.of(Map.of(), List.of("--engine", "ftp://x:1"), "--engine", "ftp://x:1"),
                Arguments.of(Map.of(), List.of("--engine", "http://x:1/ace"), "--engine", "http://x:1/ace"),
                Arguments.of(Map.of(), List.of("--engine", "not a url"), "--engine", "not a url"),
                Arguments.of(Map.of(), List.of("--engine", "http://a:1", "--engine", "http://a:1"), "--engine",
                        "http://a:1"),
                Arguments.of(Map.of(), List.of("--probe", "xyz"), "--probe", "xyz"),
                Arguments.of(Map.of(), List.of("--probe-report", "r.json"), "--probe-report", "r.json"),
                Arguments.of(Map.of(), List.of("--probe", ID, "--probe-report", " "), "--probe-report", " "),
                Arguments.of(Map.of(), List.of("--demo", "--engine", "http://a:1"), "--engine", "http://a:1"),
                Arguments.of(Map.of("ACEXY_LISTEN_ADDR", "localhost"), List.of(), "ACEXY_LISTEN_ADDR", "localhost"),
                Arguments.of(Map.of("ACEXY_PORT", "http"), List.of(), "ACEXY_PORT", "http"),
                Arguments.of(Map.of("ACEXY_PORT", "0"), List.of(), "ACEXY_PORT", "0"),
                Arguments.of(Map.of("ACEXY_HOST", "http://engine"), List.of(), "ACEXY_HOST", "http://engine"),
                Arguments.of(Map.of("ACEXY_SCHEME", "ftp"), List.of(), "ACEXY_SCHEME", "ftp"),
                Arguments.of(Map.of("ACEXY_EMPTY_TIMEOUT", "60"), List.of(), "ACEXY_EMPTY_TIMEOUT", "60"),
                Arguments.of(Map.of("ACEXY_NO_RESPONSE_TIMEOUT", "0s"), List.of(), "ACEXY_NO_RESPONSE_TIMEOUT", "0s"),
                Arguments.of(Map.of("ACEXY_BUFFER_SIZE", "big"), List.of(), "ACEXY_BUFFER_SIZE", "big"),
                Arguments.of(Map.of("ACEXY_BUFFER_SIZE", "1KB"), List.of(), "ACEXY_BUFFER_SIZE", "1KB"));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidValueNamesTheSettingAndTheValue(Map<String, String> env, List<String> args, String setting,
                                                String value) {
        assertThatThrownBy(() -> SettingsParser.parse(args, env))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo(setting);
                    assertThat(e.value()).isEqualTo(value);
                    assertThat(e.getMessage()).contains(setting).contains("\"" + value + "\"");
                });
    }

    @Test
    void unknownFlagsAndStrayArgumentsAreRefused() {
        assertThatThrownBy(() -> SettingsParser.parse(List.of("--lingr", "1s"), Map.of()))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--lingr");
        assertThatThrownBy(() -> SettingsParser.parse(List.of("serve"), Map.of()))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("serve");
    }

    @Test
    void missingValueAndRepeatedFlagAreRefused() {
        assertThatThrownBy(() -> SettingsParser.parse(List.of("--linger"), Map.of()))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--linger").hasMessageContaining("needs a value");
        assertThatThrownBy(() -> SettingsParser.parse(List.of("--linger", "1s", "--linger=2s"), Map.of()))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("more than once");
        assertThatThrownBy(() -> SettingsParser.parse(List.of("--demo=yes"), Map.of()))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("--demo");
    }

    @Test
    void badTokensAreRefusedWithoutQuotingThem() {
        for (List<String> args : List.of(List.of("--access-token", ""), List.of("--access-token", "has space"),
                List.of("--access-token", "x".repeat(600)), List.of("--access-token", "short-token"),
                List.of("--admin-token", "short-token"), List.of("--admin-token", "has space in it 123456"))) {
            assertThatThrownBy(() -> SettingsParser.parse(args, Map.of()))
                    .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                        assertThat(e.setting()).isEqualTo(args.get(0));
                        assertThat(e.value()).isNull();
                        if (!args.get(1).isEmpty()) {
                            assertThat(e.getMessage()).doesNotContain(args.get(1));
                        }
                    });
        }
        assertThatThrownBy(() -> SettingsParser.parse(List.of(), Map.of("ACEPROXY_ACCESS_TOKEN", "a b")))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.getMessage()).contains("ACEPROXY_ACCESS_TOKEN").doesNotContain("a b"));
    }

    @Test
    void probeReportNamesAFileForTheProbe() throws Exception {
        ServerSettings settings = SettingsParser.parse(List.of("--probe", ID, "--probe-report", "engine-report.json"),
                Map.of()).settings();

        assertThat(settings.probeReport()).contains(java.nio.file.Path.of("engine-report.json"));
        assertThat(settings.toString()).contains("probe-report=engine-report.json");
    }
}
