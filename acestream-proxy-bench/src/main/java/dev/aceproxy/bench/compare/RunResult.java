package dev.aceproxy.bench.compare;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of one target on one scenario.
 *
 * @param target the server measured
 * @param clients which clients played
 * @param players how many players (0: idle, no client at all)
 * @param whole the whole run: from just before the first client started until every client had stopped
 * @param steady the steady window, after the joins settled and before the clients stopped
 * @param outcome what the clients received; empty for an idle run
 * @param peakRssBytes the largest resident set of the target's process tree, sampled every 0.5 s
 * @param engineBytes bytes the fake engine sent over the whole run
 * @param engineGetstreams getstream calls the fake engine answered
 * @param enginePlaybackOpens playback connections the fake engine accepted
 * @param warnings what makes the figures doubtful (e.g. joins that had not settled)
 */
public record RunResult(Target target, ClientKind clients, int players, WindowFigures whole, WindowFigures steady,
                        Optional<PlayerOutcome> outcome, long peakRssBytes, long engineBytes, int engineGetstreams,
                        int enginePlaybackOpens, List<String> warnings) {

    /** Copies the warnings. */
    public RunResult {
        warnings = List.copyOf(warnings);
    }

    /** {@return the scenario's name: {@code idle} or the player count} */
    public String scenario() {
        return players == 0 ? "idle" : Integer.toString(players);
    }

    /** {@return the figures as a JSON-ready map} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target.label());
        m.put("clients", clients.label());
        m.put("players", players);
        m.put("whole", whole.toMap());
        m.put("steady", steady.toMap());
        m.put("players_outcome", outcome.map(PlayerOutcome::toMap).orElse(null));
        m.put("peak_rss_bytes", peakRssBytes);
        m.put("engine_bytes", engineBytes);
        m.put("engine_getstreams", engineGetstreams);
        m.put("engine_playback_opens", enginePlaybackOpens);
        m.put("warnings", warnings);
        return m;
    }
}
