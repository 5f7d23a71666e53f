package dev.aceproxy.server;

/** The text of {@code --help}. */
final class Usage {

    static final String TEXT = """
            acestream-proxy: many players on one AceStream engine stream (a drop-in for acexy).

            Usage: java -jar acestream-proxy-server.jar [flags]

              --listen HOST:PORT         where players connect (default 127.0.0.1:8080; :8080 = every interface)
              --engine URL               an engine's base url; repeat for a pool (default http://127.0.0.1:6878)
              --linger DURATION          keep a session this long after its last player leaves (default 10s)
              --start-timeout DURATION   longest wait for a new session's first byte (default 30s)
              --no-data-timeout DURATION stall before the session reconnects to the engine (default 15s)
              --getstream-timeout DURATION  longest wait for the engine's getstream answer (default 10s)
              --queue-bytes SIZE         most bytes queued for one player (default 4MiB)
              --overflow disconnect|skip what to do with a player that falls that far behind (default disconnect)
              --hls-segment-duration D   HLS target segment duration (default 2s; cut at keyframes)
              --hls-window N             HLS segments in the playlist (default 6)
              --max-streams N            most engine sessions at once (default 8; 0 = no limit)
              --max-streams-per-engine N most engine sessions one engine serves (default 8; 0 = no limit)
              --max-new-streams-per-address N  most new streams one address starts a minute (default 60;
                                         raise it behind a reverse proxy; 0 = no limit)
              --max-clients N            most players at once (default 64; 0 = no limit)
              --max-clients-per-stream N most players of one stream (default 0 = no limit)
              --max-connections N        most open connections (default 4096; 0 = no limit)
              --max-connections-per-address N  most open connections from one address (default 256;
                                         raise it behind a reverse proxy; 0 = no limit)
              --access-token TOKEN       players need ?token=TOKEN or "Authorization: Bearer TOKEN" (16+ characters)
              --admin-token TOKEN        status and metrics need this token instead (default: the access token)
              --allowed-hosts A,B        host names the server answers to without a token, besides loopback
                                         and its own addresses (web pages addressing others are refused)
              --drain-timeout DURATION   on SIGTERM first drain this long: no new stream, players go on (default 0s)
              --playlist NAME=PATH_OR_URL  serve a playlist file or http(s) url as /playlists/NAME.m3u, its
                                         AceStream links pointed at this proxy; repeat for more
              --playlist-refresh DURATION  read the playlists again this often (default 5m; at least 10s)
              --channel NAME=ID1,ID2,... a channel: /ace/getstream?channel=NAME plays ID1 and fails over to
                                         ID2, ... (cycling); repeat for more
              --channels-file FILE       channels from FILE, one NAME=ID1,ID2 a line, # for comments
              --public-url URL           the url players reach this server by, for the playlists' urls
                                         (default: the request's Host, if the server listens as it)
              --demo                     run a built-in fake engine with a test clip and print a url to play
              --probe ID                 check the engine with content ID for --probe-duration, then exit
              --probe-duration DURATION  how long --probe reads (default 10s)
              --probe-report FILE        with --probe: record what the engine does, step by step, as JSON in FILE
              --exit-with-parent         stop when the parent process ends (used by the Maven demo run)
              --help                     this text
              --version                  print the version and exit (given alone)

            Durations as in Go (10s, 1m30s, 500ms); sizes as 4MiB, 4.2MB or bytes.
            acexy's environment works too: ACEXY_LISTEN_ADDR, ACEXY_HOST, ACEXY_PORT, ACEXY_SCHEME,
            ACEXY_EMPTY_TIMEOUT (no-data timeout), ACEXY_NO_RESPONSE_TIMEOUT (getstream timeout),
            ACEXY_BUFFER_SIZE (queue bytes); ACEPROXY_ACCESS_TOKEN, ACEPROXY_ADMIN_TOKEN and
            ACEPROXY_ALLOWED_HOSTS set the tokens and host names, ACEPROXY_DRAIN_TIMEOUT the drain;
            ACEPROXY_PLAYLISTS and ACEPROXY_CHANNELS hold NAME=VALUE items separated by blanks,
            ACEPROXY_CHANNELS_FILE, ACEPROXY_PLAYLIST_REFRESH and ACEPROXY_PUBLIC_URL the rest.
            Flags win.

            Endpoints: /ace/getstream?id=ID (or ?infohash=), /ace/manifest.m3u8?id=ID (HLS), /ace/status,
            /ace/getstream?channel=NAME, /playlists, /playlists/NAME.m3u (?format=hls, ?group=tvg-id),
            /api/v1/streams, /metrics, /healthz, /livez, /readyz, POST /api/v1/drain
            """;

    private Usage() {
    }
}
