package dev.aceproxy.jetty.internal;

import dev.aceproxy.engine.EngineStats;
import dev.aceproxy.registry.ClientStatus;
import dev.aceproxy.registry.EngineStatus;
import dev.aceproxy.registry.RegistryStatus;
import dev.aceproxy.registry.SessionStatus;
import dev.aceproxy.registry.Totals;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The registry's status as JSON, with snake_case names and ISO-8601 instants. At most
 * {@value #MAX_CLIENTS_LISTED} clients are listed in one document: each session says how many
 * clients it has ({@code clients_total}), and {@code clients_truncated} says whether some were
 * left out, so a proxy with many players cannot be made to build a huge document.
 */
public final class StatusJson {

    /** The most clients listed in one status document. */
    public static final int MAX_CLIENTS_LISTED = 1000;

    private StatusJson() {
    }

    /**
     * Writes the whole status.
     *
     * @param status the snapshot
     * @return the document
     */
    public static JsonWriter write(RegistryStatus status) {
        return write(status, null);
    }

    /**
     * Writes the whole status and the HLS sessions (as {@code "hls"}).
     *
     * @param status the snapshot
     * @param hls the HLS sessions, or {@code null} to leave the member out
     * @return the document
     */
    public static JsonWriter write(RegistryStatus status, java.util.List<dev.aceproxy.hls.HlsSessionStatus> hls) {
        JsonWriter json = new JsonWriter();
        try {
            write(status, hls, json, null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);  // no sink: nothing can fail
        }
        return json;
    }

    /**
     * Writes the whole status and the HLS sessions to {@code sink}, one session at a time, so
     * that the document is never held whole.
     *
     * @param status the snapshot
     * @param hls the HLS sessions, or {@code null} to leave the member out
     * @param sink where the text goes
     * @throws java.io.IOException if the sink fails
     */
    public static void stream(RegistryStatus status, java.util.List<dev.aceproxy.hls.HlsSessionStatus> hls,
                              java.io.Writer sink) throws java.io.IOException {
        JsonWriter json = new JsonWriter();
        write(status, hls, json, sink);
        json.drainTo(sink);
    }

    private static void write(RegistryStatus status, java.util.List<dev.aceproxy.hls.HlsSessionStatus> hls,
                              JsonWriter json, java.io.Writer sink) throws java.io.IOException {
        json.beginObject();
        json.name("at").value(status.at().toString());
        Totals t = status.totals();
        json.name("totals").beginObject()
                .name("sessions").value(t.sessions())
                .name("clients").value(t.clients())
                .name("bytes_in").value(t.bytesIn())
                .name("bytes_out").value(t.bytesOut())
                .name("reconnects").value(t.reconnects())
                .name("failovers").value(t.failovers())
                .name("evictions").value(t.evictions())
                .name("skipped_bytes").value(t.skippedBytes())
                .endObject();
        json.name("engines").beginArray();
        for (EngineStatus e : status.engines()) {
            json.beginObject()
                    .name("url").value(e.baseUri().toString())
                    .name("healthy").value(e.healthy())
                    .name("version").value(e.version().orElse(null))
                    .name("sessions").value(e.sessions())
                    .name("consecutive_failures").value(e.consecutiveFailures())
                    .endObject();
        }
        json.endArray();
        int budget = MAX_CLIENTS_LISTED;
        boolean truncated = false;
        json.name("sessions").beginArray();
        for (SessionStatus s : status.sessions()) {
            int listed = Math.min(budget, s.clients().size());
            truncated |= listed < s.clients().size();
            budget -= listed;
            session(json, s, listed);
            if (sink != null) {
                json.drainTo(sink);
            }
        }
        json.endArray();
        json.name("clients_truncated").value(truncated);
        if (hls != null) {
            HlsStatusOutput.json(json, hls);
        }
        json.endObject();
    }

    private static void known(JsonWriter json, OptionalLong value) {
        if (value.isPresent()) {
            json.value(value.getAsLong());
        } else {
            json.nullValue();
        }
    }

    private static void session(JsonWriter json, SessionStatus s, int clientsListed) {
        json.beginObject()
                .name("key").value(s.key())
                // "content" names it whatever its kind ("id=..." or "infohash=...", as in "hls");
                // the kind's own member stays for the clients that read it.
                .name("content").value(s.content().toString())
                .name(s.content().kind().parameter()).value(s.content().hex())
                .name("channel").value(s.channel().orElse(null))
                .name("state").value(s.state().name().toLowerCase(Locale.ROOT))
                .name("infohash").value(s.infohash().orElse(null))
                .name("engine").value(s.engine().toString())
                .name("stat_url").value(s.statUri().map(Object::toString).orElse(null))
                .name("started_at").value(s.startedAt().toString())
                .name("uptime_seconds").value(s.uptime().toMillis() / 1000.0)
                .name("bytes_in").value(s.bytesIn())
                .name("bitrate_bps").value(s.bitrateBitsPerSecond())
                .name("reconnects").value(s.reconnects())
                .name("failovers").value(s.failovers());
        json.name("engine_stats");
        Optional<EngineStats> stats = s.engineStats();
        if (stats.isPresent()) {
            EngineStats e = stats.get();
            // A figure the engine answered -1 for (it does not know it yet) is null here.
            json.beginObject().name("status").value(e.status());
            known(json.name("peers"), e.knownPeers().isPresent() ? OptionalLong.of(e.peers()) : OptionalLong.empty());
            known(json.name("speed_down_kbps"), e.knownSpeedDownKBps());
            known(json.name("speed_up_kbps"), e.knownSpeedUpKBps());
            known(json.name("downloaded_bytes"), e.knownDownloadedBytes());
            known(json.name("uploaded_bytes"), e.knownUploadedBytes());
            json.endObject();
        } else {
            json.nullValue();
        }
        json.name("clients_total").value(s.clients().size());
        json.name("clients").beginArray();
        for (ClientStatus c : s.clients().subList(0, clientsListed)) {
            json.beginObject()
                    .name("id").value(c.id())
                    .name("remote_address").value(c.remoteAddress().orElse(null))
                    .name("user_agent").value(c.userAgent().orElse(null))
                    .name("connected_since").value(c.connectedSince().toString())
                    .name("bytes_sent").value(c.bytesSent())
                    .name("queued_bytes").value(c.queuedBytes())
                    .name("skipped_bytes").value(c.skippedBytes())
                    .name("chunks_skipped").value(c.chunksSkipped())
                    .endObject();
        }
        json.endArray().endObject();
    }
}
