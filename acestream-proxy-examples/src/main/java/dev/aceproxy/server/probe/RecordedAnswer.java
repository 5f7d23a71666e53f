package dev.aceproxy.server.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One whole answer of the engine as it came: the request, the head, the body before any parsing,
 * and the times.
 *
 * @param url the url asked
 * @param request the request sent, as text
 * @param atMillis when it was sent, on the probe's clock
 * @param headMillis from sending to the end of the head
 * @param totalMillis from sending to the end of the body
 * @param head the head
 * @param body the body, up to its bound
 * @param connectionAfterBody what the engine did with the connection after a body framed by length
 *     or chunks, or {@code closed} for a close-delimited one
 */
record RecordedAnswer(String url, String request, long atMillis, long headMillis, long totalMillis,
                      RecordedHead head, RecordedBody body, String connectionAfterBody) {

    /** The answer for the report. */
    Map<String, Object> toReport() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", url);
        out.put("request", request);
        out.put("at_ms", atMillis);
        out.put("head_ms", headMillis);
        out.put("total_ms", totalMillis);
        out.putAll(head.toReport());
        body.putInto(out);
        out.put("connection_after_body", connectionAfterBody);
        return out;
    }
}
