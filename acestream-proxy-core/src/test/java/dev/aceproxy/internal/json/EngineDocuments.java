package dev.aceproxy.internal.json;

import java.util.List;

/** Engine answers as the engine's contract shows them, used as seeds for the JSON tests. */
final class EngineDocuments {

    static final List<String> ALL = List.of(
            """
            {"response": {"playback_url": "http://127.0.0.1:6878/ace/r/0123456789abcdef0123456789abcdef01234567/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                          "stat_url": "http://127.0.0.1:6878/ace/stat/0123456789abcdef0123456789abcdef01234567/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                          "command_url": "http://127.0.0.1:6878/ace/cmd/0123456789abcdef0123456789abcdef01234567/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                          "infohash": "0123456789abcdef0123456789abcdef01234567",
                          "playback_session_id": "fedcba9876543210fedcba9876543210fedcba98",
                          "is_live": 1, "is_encrypted": 0, "client_session_id": -1, "bitrate": 212345.5},
             "error": null}
            """,
            "{\"response\": null, \"error\": \"failed to load content\"}",
            """
            {"response": {"status": "dl", "peers": 7, "speed_down": 612, "speed_up": 40,
                          "downloaded": 123456789, "uploaded": 0, "total_progress": 0,
                          "livepos": {"pos": "1700000000", "live_first": "1699990000", "live_last": "1700000010",
                                      "buffer_pieces": "15"}},
             "error": null}
            """,
            "{\"response\": \"ok\", \"error\": null}",
            "{\"response\": null, \"error\": \"unknown playback session id\"}",
            "{\"result\": {\"code\": 3017000, \"platform\": \"linux\", \"version\": \"3.1.70\"}, \"error\": null}",
            "{\"result\": {\"playlist_loaded\": true, \"items\": [1, 2.5e-3, -0.5, \"\\u00e9\\n\", false]}}",
            "{\"error\": {\"message\": \"bad \\\"request\\\"\", \"code\": 0}}");

    private EngineDocuments() {
    }
}
