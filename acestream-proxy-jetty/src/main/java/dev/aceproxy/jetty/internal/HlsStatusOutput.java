package dev.aceproxy.jetty.internal;

import dev.aceproxy.hls.HlsSessionStatus;
import dev.aceproxy.jetty.internal.PrometheusText.Type;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The HLS sessions in {@code /api/v1/streams} (an {@code "hls"} array) and in {@code /metrics}. */
public final class HlsStatusOutput {

    private HlsStatusOutput() {
    }

    /**
     * Writes the {@code "hls"} member into an open JSON object.
     *
     * @param json the document, inside an object
     * @param sessions the HLS sessions
     */
    public static void json(JsonWriter json, List<HlsSessionStatus> sessions) {
        json.name("hls").beginArray();
        for (HlsSessionStatus s : sessions) {
            json.beginObject()
                    .name("content").value(s.content().toString())
                    .name("channel").value(s.channel().orElse(null))
                    .name("viewers").value(s.viewers())
                    .name("segments").value(s.segments())
                    .name("bytes_held").value(s.bytesHeld())
                    .name("media_sequence").value(s.mediaSequence())
                    .name("target_duration_seconds").value(s.targetDurationSeconds())
                    .name("discontinuities").value(s.discontinuities())
                    .name("segments_served").value(s.segmentsServed())
                    .name("playlists_served").value(s.playlistsServed())
                    .endObject();
        }
        json.endArray();
    }

    /**
     * Appends the HLS families.
     *
     * @param out the exposition
     * @param sessions the HLS sessions
     */
    public static void prometheus(PrometheusText out, List<HlsSessionStatus> sessions) {
        out.family("aceproxy_hls_sessions", Type.GAUGE, "HLS sessions running now.");
        out.sample("aceproxy_hls_sessions", sessions.size());
        out.family("aceproxy_hls_viewers", Type.GAUGE, "HLS viewers that fetched something recently, all sessions.");
        out.sample("aceproxy_hls_viewers", sessions.stream().mapToLong(HlsSessionStatus::viewers).sum());
        perSession(out, sessions, "aceproxy_hls_session_viewers", Type.GAUGE, "HLS viewers of the session.",
                HlsSessionStatus::viewers);
        perSession(out, sessions, "aceproxy_hls_session_segments", Type.GAUGE, "Segments the HLS session holds.",
                HlsSessionStatus::segments);
        perSession(out, sessions, "aceproxy_hls_session_bytes_held", Type.GAUGE,
                "Bytes the HLS session's segments reference (shared with the stream's other clients).",
                HlsSessionStatus::bytesHeld);
        perSession(out, sessions, "aceproxy_hls_session_media_sequence", Type.GAUGE,
                "Number of the first segment the playlist lists.", HlsSessionStatus::mediaSequence);
        perSession(out, sessions, "aceproxy_hls_session_discontinuities_total", Type.COUNTER,
                "Discontinuities (new upstreams) in the HLS session.", HlsSessionStatus::discontinuities);
        perSession(out, sessions, "aceproxy_hls_session_segments_served_total", Type.COUNTER,
                "Segments served by the HLS session.", HlsSessionStatus::segmentsServed);
        perSession(out, sessions, "aceproxy_hls_session_playlists_served_total", Type.COUNTER,
                "Playlists served by the HLS session.", HlsSessionStatus::playlistsServed);
    }

    private static void perSession(PrometheusText out, List<HlsSessionStatus> sessions, String name, Type type,
                                   String help, ToDoubleFunction<HlsSessionStatus> value) {
        out.family(name, type, help);
        for (HlsSessionStatus s : sessions) {
            out.sample(name, Map.of("content", s.content().toString()), value.applyAsDouble(s));
        }
    }
}
