package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.jetty.internal.PrometheusText.Type;
import dev.aceproxy.registry.EngineStatus;
import dev.aceproxy.registry.Readiness;
import dev.aceproxy.registry.RegistryStatus;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.registry.StreamRegistry;
import dev.aceproxy.registry.Totals;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics}: the registry's counters in the Prometheus text format. Totals carry no
 * labels; per-session series are labelled by {@code content} (the 40 hex characters) and
 * {@code kind} ({@code id} or {@code infohash}); per-engine series by {@code engine}.
 */
public final class MetricsEndpoint extends ReadOnlyEndpoint {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient StreamRegistry registry;
    private final transient dev.aceproxy.hls.HlsService hls;

    /**
     * Creates the endpoint.
     *
     * @param registry the registry to report on
     */
    public MetricsEndpoint(StreamRegistry registry) {
        this(registry, null);
    }

    /**
     * Creates the endpoint with the HLS sessions too.
     *
     * @param registry the registry to report on
     * @param hls the HLS service, or {@code null}
     */
    public MetricsEndpoint(StreamRegistry registry, dev.aceproxy.hls.HlsService hls) {
        super(Set.of());
        this.registry = registry;
        this.hls = hls;
    }

    @Override
    protected void answer(QueryParameters query, HttpServletResponse response) throws IOException {
        String text = render(registry.status(), registry.readiness());
        if (hls != null) {
            PrometheusText more = new PrometheusText();
            HlsStatusOutput.prometheus(more, hls.status());
            text += more;
        }
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType(PrometheusText.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * Renders a status snapshot and a readiness snapshot: the status's series, then
     * {@code aceproxy_ready}, {@code aceproxy_draining}, {@code aceproxy_sessions_allowed} (0: no
     * limit) and, when sessions are limited, {@code aceproxy_capacity} (sessions in use over
     * sessions allowed, for an autoscaler).
     *
     * @param status the status snapshot
     * @param readiness the readiness snapshot
     * @return the exposition text
     */
    public static String render(RegistryStatus status, Readiness readiness) {
        PrometheusText out = new PrometheusText();
        total(out, "aceproxy_ready", Type.GAUGE,
                "1 when new sessions are taken: not draining and an engine is healthy.", readiness.ready() ? 1 : 0);
        total(out, "aceproxy_draining", Type.GAUGE, "1 once the proxy drains: it starts no new session.",
                readiness.draining() ? 1 : 0);
        total(out, "aceproxy_sessions_allowed", Type.GAUGE, "Most sessions at once; 0 means no limit.",
                readiness.maxSessions());
        if (readiness.maxSessions() > 0) {
            total(out, "aceproxy_capacity", Type.GAUGE, "Sessions in use over sessions allowed (0 to 1).",
                    readiness.capacity());
        }
        return out + render(status);
    }

    /**
     * Renders a status snapshot.
     *
     * @param status the snapshot
     * @return the exposition text
     */
    public static String render(RegistryStatus status) {
        PrometheusText out = new PrometheusText();
        Totals t = status.totals();
        total(out, "aceproxy_sessions", Type.GAUGE, "Engine sessions running now.", t.sessions());
        total(out, "aceproxy_clients", Type.GAUGE, "Players connected now.", t.clients());
        total(out, "aceproxy_bytes_in_total", Type.COUNTER, "MPEG-TS bytes read from engines.", t.bytesIn());
        total(out, "aceproxy_bytes_out_total", Type.COUNTER, "MPEG-TS bytes written to players.", t.bytesOut());
        total(out, "aceproxy_reconnects_total", Type.COUNTER, "Upstream recoveries (reconnects and restarts).",
                t.reconnects());
        total(out, "aceproxy_failovers_total", Type.COUNTER, "Switches of a channel to another alternate.",
                t.failovers());
        total(out, "aceproxy_evictions_total", Type.COUNTER,
                "Players disconnected for falling too far behind or stalling.", t.evictions());
        total(out, "aceproxy_skipped_bytes_total", Type.COUNTER,
                "Bytes skipped for players that fell behind (overflow policy skip).", t.skippedBytes());

        out.family("aceproxy_engine_up", Type.GAUGE, "1 when the engine answers its health probe.");
        for (EngineStatus e : status.engines()) {
            out.sample("aceproxy_engine_up", Map.of("engine", e.baseUri().toString()), e.healthy() ? 1 : 0);
        }
        out.family("aceproxy_engine_sessions", Type.GAUGE, "Sessions running on the engine.");
        for (EngineStatus e : status.engines()) {
            out.sample("aceproxy_engine_sessions", Map.of("engine", e.baseUri().toString()), e.sessions());
        }

        perSession(out, status, "aceproxy_session_clients", Type.GAUGE, "Players of the session.",
                s -> s.clients().size());
        perSession(out, status, "aceproxy_session_bytes_in_total", Type.COUNTER,
                "MPEG-TS bytes the session read from its engine.", SessionStatus::bytesIn);
        perSession(out, status, "aceproxy_session_bitrate_bits_per_second", Type.GAUGE,
                "Recent bitrate of the session's stream.", SessionStatus::bitrateBitsPerSecond);
        perSession(out, status, "aceproxy_session_reconnects_total", Type.COUNTER,
                "Upstream recoveries of the session.", SessionStatus::reconnects);
        perSession(out, status, "aceproxy_session_failovers_total", Type.COUNTER,
                "Alternates switched to by the session.", SessionStatus::failovers);
        perSession(out, status, "aceproxy_session_uptime_seconds", Type.GAUGE, "Age of the session.",
                s -> s.uptime().toMillis() / 1000.0);
        perEngineStats(out, status, "aceproxy_session_engine_peers", "Peers the engine reports for the session.",
                EngineStats::peers);
        perEngineStats(out, status, "aceproxy_session_engine_download_kilobytes_per_second",
                "Download speed the engine reports for the session (its speed_down, KB/s).",
                EngineStats::speedDownKBps);
        perEngineStats(out, status, "aceproxy_session_engine_upload_kilobytes_per_second",
                "Upload speed the engine reports for the session (its speed_up, KB/s).", EngineStats::speedUpKBps);
        return out.toString();
    }

    private static void total(PrometheusText out, String name, Type type, String help, double value) {
        out.family(name, type, help).sample(name, value);
    }

    private static void perSession(PrometheusText out, RegistryStatus status, String name, Type type, String help,
                                   ToDoubleFunction<SessionStatus> value) {
        out.family(name, type, help);
        for (SessionStatus s : status.sessions()) {
            out.sample(name, labels(s), value.applyAsDouble(s));
        }
    }

    private static void perEngineStats(PrometheusText out, RegistryStatus status, String name, String help,
                                       ToDoubleFunction<EngineStats> value) {
        out.family(name, Type.GAUGE, help);
        for (SessionStatus s : status.sessions()) {
            if (s.engineStats().isPresent()) {
                out.sample(name, labels(s), value.applyAsDouble(s.engineStats().get()));
            }
        }
    }

    private static Map<String, String> labels(SessionStatus s) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("content", s.content().hex());
        labels.put("kind", s.content().kind().parameter());
        s.channel().ifPresent(c -> labels.put("channel", c));
        return labels;
    }
}
