package dev.aceproxy.server.probe;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A body as it arrived, up to a bound.
 *
 * @param bytes the bytes read (decoded from chunks when the body was chunked)
 * @param truncated whether the bound was reached before the body's end
 * @param end how the body ended: {@code content-length}, {@code last-chunk}, {@code close},
 *     {@code bound}, {@code timeout} or {@code failed: <why>}
 */
record RecordedBody(byte[] bytes, boolean truncated, String end) {

    /** Adds the body to a report section: as text when it is UTF-8, else as base64 too. */
    void putInto(Map<String, Object> section) {
        section.put("body_bytes", bytes.length);
        section.put("body_truncated", truncated);
        section.put("body_end", end);
        try {
            section.put("body", StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            section.put("body", new String(bytes, StandardCharsets.ISO_8859_1));
            section.put("body_base64", Base64.getEncoder().encodeToString(bytes));
        }
    }
}
