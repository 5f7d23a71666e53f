package dev.aceproxy.server;

import dev.aceproxy.engine.ContentId;
import dev.aceproxy.hls.HlsPolicy;
import dev.aceproxy.jetty.AceProxyHttpServer;
import dev.aceproxy.jetty.EndpointOptions;
import dev.aceproxy.registry.Limits;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads the reference server's settings from its command line and environment. Precedence: a
 * flag wins over an environment variable, which wins over the default. acexy's variables keep
 * their meaning, so an acexy container's environment carries over.
 *
 * <p>Flags take their value as the next argument or after {@code =} ({@code --linger 30s},
 * {@code --linger=30s}); every flag but {@code --engine}, {@code --playlist} and {@code --channel}
 * may appear once. An empty environment variable counts as unset. The playlist and channel
 * settings are read by {@link LineupParser}.
 */
public final class SettingsParser {

    /** acexy's listen address, such as {@code :8080} (every interface). */
    public static final String ENV_LISTEN_ADDR = "ACEXY_LISTEN_ADDR";
    /** acexy's engine host. */
    public static final String ENV_HOST = "ACEXY_HOST";
    /** acexy's engine port. */
    public static final String ENV_PORT = "ACEXY_PORT";
    /** acexy's engine scheme, {@code http} or {@code https}. */
    public static final String ENV_SCHEME = "ACEXY_SCHEME";
    /** acexy's "no data" timeout: here the stall that makes a session recover. */
    public static final String ENV_EMPTY_TIMEOUT = "ACEXY_EMPTY_TIMEOUT";
    /** acexy's engine answer timeout: here the getstream call's timeout. */
    public static final String ENV_NO_RESPONSE_TIMEOUT = "ACEXY_NO_RESPONSE_TIMEOUT";
    /** acexy's copy buffer size: here each client's queue bound. */
    public static final String ENV_BUFFER_SIZE = "ACEXY_BUFFER_SIZE";
    /** acexy's HLS switch: accepted and ignored (this server serves MPEG-TS only). */
    public static final String ENV_M3U8 = "ACEXY_M3U8";
    /** acexy's HLS stream timeout: accepted and ignored. */
    public static final String ENV_M3U8_STREAM_TIMEOUT = "ACEXY_M3U8_STREAM_TIMEOUT";
    /** The access token, for deployments that keep it out of the process list. */
    public static final String ENV_ACCESS_TOKEN = "ACEPROXY_ACCESS_TOKEN";
    /** The admin token for status and metrics, for deployments that keep it out of the process list. */
    public static final String ENV_ADMIN_TOKEN = "ACEPROXY_ADMIN_TOKEN";
    /** Extra host names the server answers to without a token, comma-separated. */
    public static final String ENV_ALLOWED_HOSTS = "ACEPROXY_ALLOWED_HOSTS";
    /** How long a SIGTERM drains before the server stops ({@code --drain-timeout}). */
    public static final String ENV_DRAIN_TIMEOUT = "ACEPROXY_DRAIN_TIMEOUT";

    private static final Set<String> KNOWN_ACEXY = Set.of(ENV_LISTEN_ADDR, ENV_HOST, ENV_PORT, ENV_SCHEME,
            ENV_EMPTY_TIMEOUT, ENV_NO_RESPONSE_TIMEOUT, ENV_BUFFER_SIZE, ENV_M3U8, ENV_M3U8_STREAM_TIMEOUT);

    private static final Set<String> VALUED_FLAGS = Set.of("--listen", "--engine", "--linger", "--start-timeout",
            "--no-data-timeout", "--getstream-timeout", "--queue-bytes", "--overflow", "--hls-segment-duration", "--hls-window", "--max-streams", "--max-streams-per-engine", "--max-new-streams-per-address", "--max-connections", "--max-connections-per-address",
            "--max-clients", "--max-clients-per-stream", "--access-token", "--admin-token", "--allowed-hosts", "--probe", "--probe-duration", "--probe-report",
            "--drain-timeout", "--playlist", "--channel", "--channels-file", "--playlist-refresh", "--public-url");
    private static final Set<String> SWITCHES = Set.of("--demo", "--exit-with-parent", "--help", "-h");

    /**
     * The outcome of parsing: what to run, and notes for the start-up log.
     *
     * @param settings the merged, validated settings
     * @param help whether {@code --help} was asked for (the settings are then the defaults)
     * @param exitWithParent whether to stop when the parent process ends ({@code --exit-with-parent},
     *     used by the Maven demo run so that stopping Maven stops the server)
     * @param notices remarks about accepted but ignored settings, to be logged at start-up
     */
    public record Invocation(ServerSettings settings, boolean help, boolean exitWithParent, List<String> notices) {
        /**
         * Copies the notices.
         *
         * @throws NullPointerException if an argument is null
         */
        public Invocation {
            java.util.Objects.requireNonNull(settings, "settings");
            notices = List.copyOf(notices);
        }
    }

    private SettingsParser() {
    }

    /**
     * Merges flags, environment and defaults.
     *
     * @param args the command-line arguments
     * @param env the environment, such as {@link System#getenv()}
     * @return the invocation
     * @throws InvalidSettingException if a flag is unknown, repeated or lacks a value, or any value
     *     is invalid; the message names the setting and the value
     */
    public static Invocation parse(List<String> args, Map<String, String> env) throws InvalidSettingException {
        Map<String, String> flags = new HashMap<>();
        List<String> engineFlags = new ArrayList<>();
        List<String> playlistFlags = new ArrayList<>();
        List<String> channelFlags = new ArrayList<>();
        boolean help = false;
        boolean demo = false;
        boolean exitWithParent = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (SWITCHES.contains(name)) {
                if (value != null) {
                    throw new InvalidSettingException(name, value, "takes no value");
                }
                if (name.equals("--demo")) {
                    demo = true;
                } else if (name.equals("--exit-with-parent")) {
                    exitWithParent = true;
                } else {
                    help = true;
                }
                continue;
            }
            if (!VALUED_FLAGS.contains(name)) {
                throw new InvalidSettingException(name, null,
                        arg.startsWith("-") ? "unknown flag (see --help)" : "unexpected argument (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new InvalidSettingException(name, null, "needs a value");
                }
                value = args.get(++i);
            }
            if (name.equals("--engine")) {
                engineFlags.add(value);
            } else if (name.equals("--playlist")) {
                playlistFlags.add(value);
            } else if (name.equals("--channel")) {
                channelFlags.add(value);
            } else if (flags.putIfAbsent(name, value) != null) {
                throw new InvalidSettingException(name, secret(name) ? null : value, "given more than once");
            }
        }
        if (help) {
            return new Invocation(ServerSettings.defaults(), true, false, List.of());
        }
        LineupSettings lineup = LineupParser.parse(playlistFlags, channelFlags, flags, env);
        ServerSettings settings = merge(flags, engineFlags, demo, env, lineup);
        List<String> notices = new ArrayList<>(notices(env, flags, engineFlags, demo));
        notices.addAll(accessNotices(settings));
        return new Invocation(settings, false, exitWithParent, notices);
    }

    /**
     * Warns about access settings that leave the server more open than the operator may think.
     *
     * @param settings the merged settings
     * @return the notices, possibly none
     */
    static List<String> accessNotices(ServerSettings settings) {
        List<String> notices = new ArrayList<>();
        if (settings.accessToken().isEmpty() && !settings.listen().loopbackOnly() && settings.probe().isEmpty()) {
            notices.add("WARNING: listening on " + settings.listen() + " beyond loopback without an access token: "
                    + "any device that reaches it can start streams and read the status; set --access-token "
                    + "(web pages are refused by the Host and Origin checks, see docs/security.md)");
        }
        if (settings.accessToken().isPresent() && settings.adminToken().isEmpty()) {
            notices.add("--admin-token is not set: the access token also opens /api/v1/streams, /metrics and "
                    + "/ace/status; set --admin-token to keep players out of the status");
        }
        return notices;
    }

    private static ServerSettings merge(Map<String, String> flags, List<String> engineFlags, boolean demo,
                                        Map<String, String> env, LineupSettings lineup)
            throws InvalidSettingException {
        ListenAddress listen = pick(flags, "--listen", env, ENV_LISTEN_ADDR, ListenAddress::parse,
                ListenAddress.DEFAULT);
        List<URI> engines = engines(engineFlags, demo, env);
        Duration linger = pick(flags, "--linger", env, null, GoDuration::parse, ServerSettings.DEFAULT_LINGER);
        requireNotNegative("--linger", flags.get("--linger"), linger);
        Duration startTimeout = positive(flags, "--start-timeout", env, null, ServerSettings.DEFAULT_START_TIMEOUT);
        Duration noData = positive(flags, "--no-data-timeout", env, ENV_EMPTY_TIMEOUT,
                ServerSettings.DEFAULT_NO_DATA_TIMEOUT);
        Duration getstream = positive(flags, "--getstream-timeout", env, ENV_NO_RESPONSE_TIMEOUT,
                ServerSettings.DEFAULT_GETSTREAM_TIMEOUT);
        Duration probeDuration = positive(flags, "--probe-duration", env, null,
                ServerSettings.DEFAULT_PROBE_DURATION);
        long queueBytes = pick(flags, "--queue-bytes", env, ENV_BUFFER_SIZE, ByteSize::parse,
                ServerSettings.DEFAULT_QUEUE_BYTES);
        if (queueBytes < ServerSettings.MIN_QUEUE_BYTES) {
            String setting = flags.containsKey("--queue-bytes") ? "--queue-bytes" : ENV_BUFFER_SIZE;
            String raw = flags.containsKey("--queue-bytes") ? flags.get("--queue-bytes") : env.get(ENV_BUFFER_SIZE);
            throw new InvalidSettingException(setting, raw,
                    "must be at least " + ByteSize.format(ServerSettings.MIN_QUEUE_BYTES));
        }
        ServerSettings.Overflow overflow = pick(flags, "--overflow", env, null, SettingsParser::overflow,
                ServerSettings.Overflow.DISCONNECT);
        int maxStreams = pick(flags, "--max-streams", env, null, SettingsParser::limit,
                ServerSettings.DEFAULT_MAX_STREAMS);
        int maxClients = pick(flags, "--max-clients", env, null, SettingsParser::limit,
                ServerSettings.DEFAULT_MAX_CLIENTS);
        Duration hlsSegment = positive(flags, "--hls-segment-duration", env, null, HlsPolicy.DEFAULT_TARGET_DURATION);
        int hlsWindow = pick(flags, "--hls-window", env, null, SettingsParser::limit, HlsPolicy.DEFAULT_WINDOW_SEGMENTS);
        try {
            HlsPolicy.DEFAULT.withTargetDuration(hlsSegment);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("--hls-segment-duration", flags.get("--hls-segment-duration"),
                    "must be from 100ms to 60s");
        }
        if (hlsWindow < 2) {
            throw new InvalidSettingException("--hls-window", flags.get("--hls-window"), "must be at least 2");
        }
        int maxPerEngine = pick(flags, "--max-streams-per-engine", env, null, SettingsParser::limit,
                Limits.DEFAULT_MAX_SESSIONS_PER_ENGINE);
        int maxNewPerAddress = pick(flags, "--max-new-streams-per-address", env, null, SettingsParser::limit,
                Limits.DEFAULT_MAX_NEW_SESSIONS_PER_ADDRESS);
        int maxConnections = pick(flags, "--max-connections", env, null, SettingsParser::limit,
                AceProxyHttpServer.DEFAULT_MAX_CONNECTIONS);
        int maxConnectionsPerAddress = pick(flags, "--max-connections-per-address", env, null, SettingsParser::limit,
                AceProxyHttpServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
        int maxPerStream = pick(flags, "--max-clients-per-stream", env, null, SettingsParser::limit, 0);
        Optional<String> token = token(flags, env, "--access-token", ENV_ACCESS_TOKEN);
        Optional<String> adminToken = token(flags, env, "--admin-token", ENV_ADMIN_TOKEN);
        List<String> allowedHosts = allowedHosts(flags, env);
        Optional<ContentId> probe = flags.containsKey("--probe")
                ? Optional.of(pick(flags, "--probe", env, null, ContentId::id, null))
                : Optional.empty();
        Optional<Path> probeReport = probeReport(flags, probe.isPresent());
        Duration drain = pick(flags, "--drain-timeout", env, ENV_DRAIN_TIMEOUT, GoDuration::parse,
                ServerSettings.DEFAULT_DRAIN_TIMEOUT);
        requireNotNegative(flags.containsKey("--drain-timeout") ? "--drain-timeout" : ENV_DRAIN_TIMEOUT,
                flags.containsKey("--drain-timeout") ? flags.get("--drain-timeout") : env.get(ENV_DRAIN_TIMEOUT), drain);
        return new ServerSettings(listen, engines, linger, startTimeout, noData, getstream, queueBytes, overflow,
                maxStreams, maxClients, maxPerStream, token, demo, probe, probeDuration, probeReport, adminToken,
                allowedHosts, maxConnections, maxConnectionsPerAddress, drain, maxPerEngine, maxNewPerAddress,
                hlsSegment, hlsWindow, lineup);
    }

    private static Optional<Path> probeReport(Map<String, String> flags, boolean probe)
            throws InvalidSettingException {
        String value = flags.get("--probe-report");
        if (value == null) {
            return Optional.empty();
        }
        if (!probe) {
            throw new InvalidSettingException("--probe-report", value, "needs --probe ID");
        }
        if (value.isBlank()) {
            throw new InvalidSettingException("--probe-report", value, "must name a file");
        }
        try {
            Path file = Path.of(value);
            if (Files.isDirectory(file)) {
                throw new InvalidSettingException("--probe-report", value, "is a directory; name a file");
            }
            return Optional.of(file);
        } catch (InvalidPathException e) {
            throw new InvalidSettingException("--probe-report", value, "is not a file name: " + e.getReason());
        }
    }

    private static List<URI> engines(List<String> engineFlags, boolean demo, Map<String, String> env)
            throws InvalidSettingException {
        if (demo) {
            if (!engineFlags.isEmpty()) {
                throw new InvalidSettingException("--engine", engineFlags.get(0),
                        "cannot be combined with --demo, which starts its own engine");
            }
            // The demo engine's address is known only once it listens; a placeholder keeps the
            // record valid and is replaced at start-up.
            return List.of(ServerSettings.DEFAULT_ENGINE);
        }
        if (!engineFlags.isEmpty()) {
            List<URI> engines = new ArrayList<>();
            for (String text : engineFlags) {
                URI uri = engineUri("--engine", text);
                if (engines.contains(uri)) {
                    throw new InvalidSettingException("--engine", text, "given more than once");
                }
                engines.add(uri);
            }
            return engines;
        }
        String scheme = env(env, ENV_SCHEME);
        String host = env(env, ENV_HOST);
        String port = env(env, ENV_PORT);
        if (scheme == null && host == null && port == null) {
            return List.of(ServerSettings.DEFAULT_ENGINE);
        }
        if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidSettingException(ENV_SCHEME, scheme, "must be http or https");
        }
        if (port != null) {
            portNumber(ENV_PORT, port);
        }
        if (host != null && (host.contains("/") || host.contains(" ") || host.contains("?") || host.contains("@"))) {
            throw new InvalidSettingException(ENV_HOST, host, "must be a host name or address, without scheme or path");
        }
        String hostPart = host == null ? ServerSettings.DEFAULT_ENGINE.getHost() : host;
        if (hostPart.contains(":") && !hostPart.startsWith("[")) {
            hostPart = "[" + hostPart + "]";
        }
        String text = (scheme == null ? "http" : scheme) + "://" + hostPart + ":"
                + (port == null ? ServerSettings.DEFAULT_ENGINE.getPort() : port);
        return List.of(engineUri(host != null ? ENV_HOST : ENV_PORT, text));
    }

    private static URI engineUri(String setting, String text) throws InvalidSettingException {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(setting, text, "is not a url (expected http://HOST:PORT)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidSettingException(setting, text, "must be an http:// or https:// url");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new InvalidSettingException(setting, text, "has no host (expected http://HOST:PORT)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
            throw new InvalidSettingException(setting, text,
                    "must be the engine's base url only (http://HOST:PORT), without path, query or credentials");
        }
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        try {
            return new URI(scheme, null, uri.getHost(), port, null, null, null);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(setting, text, "is not a url (expected http://HOST:PORT)");
        }
    }

    private static Optional<String> token(Map<String, String> flags, Map<String, String> env, String flag,
                                          String envName) throws InvalidSettingException {
        String setting = flags.containsKey(flag) ? flag : envName;
        String token = flags.containsKey(flag) ? flags.get(flag) : env(env, envName);
        if (token == null) {
            return Optional.empty();
        }
        // The value is never quoted back: it is a secret.
        if (token.isEmpty()) {
            throw new InvalidSettingException(setting, null, "must not be empty");
        }
        if (token.length() < EndpointOptions.MIN_TOKEN_LENGTH) {
            throw new InvalidSettingException(setting, null, "must be at least " + EndpointOptions.MIN_TOKEN_LENGTH
                    + " characters long, so that it cannot be guessed (for example: openssl rand -hex 16)");
        }
        if (token.length() > EndpointOptions.MAX_TOKEN_LENGTH) {
            throw new InvalidSettingException(setting, null,
                    "is longer than " + EndpointOptions.MAX_TOKEN_LENGTH + " characters");
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidSettingException(setting, null,
                    "may hold only visible ASCII characters (no spaces), so it fits in a url and a header");
        }
        return Optional.of(token);
    }

    private static List<String> allowedHosts(Map<String, String> flags, Map<String, String> env)
            throws InvalidSettingException {
        String setting = flags.containsKey("--allowed-hosts") ? "--allowed-hosts" : ENV_ALLOWED_HOSTS;
        String value = flags.containsKey("--allowed-hosts") ? flags.get("--allowed-hosts") : env(env, ENV_ALLOWED_HOSTS);
        if (value == null) {
            return List.of();
        }
        List<String> hosts = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            hosts.add(part.strip());
        }
        try {
            EndpointOptions.DEFAULT.withAllowedHosts(hosts);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting, value, e.getMessage());
        }
        return List.copyOf(hosts);
    }

    private static List<String> notices(Map<String, String> env, Map<String, String> flags, List<String> engineFlags,
                                        boolean demo) {
        List<String> notices = new ArrayList<>();
        if (env(env, ENV_M3U8) != null) {
            notices.add(ENV_M3U8 + " is ignored: this server always serves both MPEG-TS (/ace/getstream) and HLS"
                    + " (/ace/manifest.m3u8), from one engine session per content");
        }
        if (env(env, ENV_M3U8_STREAM_TIMEOUT) != null) {
            notices.add(ENV_M3U8_STREAM_TIMEOUT + " is ignored: an HLS viewer counts as long as it fetched something"
                    + " within three target durations");
        }
        boolean envEngine = env(env, ENV_HOST) != null || env(env, ENV_PORT) != null || env(env, ENV_SCHEME) != null;
        if (envEngine && (demo || !engineFlags.isEmpty())) {
            notices.add("ACEXY_HOST/ACEXY_PORT/ACEXY_SCHEME are overridden by " + (demo ? "--demo" : "--engine"));
        }
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith("ACEXY_") && !KNOWN_ACEXY.contains(e.getKey())) {
                notices.add(e.getKey() + " is not a setting this server knows; ignored");
            }
        }
        if (flags.containsKey("--listen") && env(env, ENV_LISTEN_ADDR) != null) {
            notices.add(ENV_LISTEN_ADDR + " is overridden by --listen");
        }
        return notices;
    }

    private static ServerSettings.Overflow overflow(String text) {
        return switch (text) {
            case "disconnect" -> ServerSettings.Overflow.DISCONNECT;
            case "skip" -> ServerSettings.Overflow.SKIP;
            default -> throw new IllegalArgumentException("must be disconnect or skip");
        };
    }

    private static int limit(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("must be a whole number from 0 (no limit) to 999999999");
        }
        return Integer.parseInt(text);
    }

    private static void portNumber(String setting, String text) throws InvalidSettingException {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)
                || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65_535) {
            throw new InvalidSettingException(setting, text, "must be a port number from 1 to 65535");
        }
    }

    private static Duration positive(Map<String, String> flags, String flag, Map<String, String> env, String var,
                                     Duration fallback) throws InvalidSettingException {
        Duration d = pick(flags, flag, env, var, GoDuration::parse, fallback);
        if (d.isNegative() || d.isZero()) {
            boolean fromFlag = flags.containsKey(flag);
            throw new InvalidSettingException(fromFlag ? flag : var, fromFlag ? flags.get(flag) : env.get(var),
                    "must be longer than zero");
        }
        return d;
    }

    private static void requireNotNegative(String flag, String raw, Duration d) throws InvalidSettingException {
        if (d.isNegative()) {
            throw new InvalidSettingException(flag, raw, "must not be negative");
        }
    }

    private static <T> T pick(Map<String, String> flags, String flag, Map<String, String> env, String var,
                              Function<String, T> parser, T fallback) throws InvalidSettingException {
        String setting;
        String raw;
        if (flags.containsKey(flag)) {
            setting = flag;
            raw = flags.get(flag);
        } else if (var != null && env(env, var) != null) {
            setting = var;
            raw = env(env, var);
        } else {
            return fallback;
        }
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting, raw, e.getMessage());
        }
    }

    private static String env(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static boolean secret(String flag) {
        return flag.equals("--access-token") || flag.equals("--admin-token");
    }
}
