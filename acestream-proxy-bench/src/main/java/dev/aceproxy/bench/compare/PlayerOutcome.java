package dev.aceproxy.bench.compare;

import dev.aceproxy.bench.load.LatencySummary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the clients of one run received.
 *
 * @param totalBytes payload bytes received by every client over the whole run
 * @param starterFirstByteMillis the starter's time to its first byte, NaN without one
 * @param herdFirstByte first-byte times of the herd (those that got a byte)
 * @param herdWithoutFirstByte herd clients that got no byte at all
 * @param failed clients that ended otherwise than by their own time limit (refused, reset, bad
 *        status, closed by the server)
 */
public record PlayerOutcome(long totalBytes, double starterFirstByteMillis, LatencySummary herdFirstByte,
                            int herdWithoutFirstByte, int failed) {

    /** {@return the figures as a JSON-ready map} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_bytes", totalBytes);
        m.put("starter_first_byte_ms", starterFirstByteMillis);
        m.put("herd_first_byte_count", herdFirstByte.count());
        m.put("herd_first_byte_p50_ms", herdFirstByte.p50Millis());
        m.put("herd_first_byte_p99_ms", herdFirstByte.p99Millis());
        m.put("herd_first_byte_max_ms", herdFirstByte.maxMillis());
        m.put("herd_without_first_byte", herdWithoutFirstByte);
        m.put("failed", failed);
        return m;
    }
}
