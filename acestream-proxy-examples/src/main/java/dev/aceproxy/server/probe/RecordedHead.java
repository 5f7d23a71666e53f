package dev.aceproxy.server.probe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The head of an answer exactly as the engine sent it, read leniently: whatever the bytes are, they
 * are kept; the status and fields are what could be made of them.
 *
 * @param raw the head's bytes as ISO-8859-1 text, up to and including the empty line when there was one
 * @param complete whether the empty line that ends a head arrived
 * @param statusLine the first line, without its ending
 * @param status the status code, or -1 when the first line is not an HTTP/1.x status line
 * @param fields the header lines as name and value; a line without a colon has an empty name
 */
record RecordedHead(String raw, boolean complete, String statusLine, int status, List<Map.Entry<String, String>> fields) {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d\\.\\d (\\d{3})(?: .*)?");

    RecordedHead {
        fields = List.copyOf(fields);
    }

    /** Parses what arrived of a head; {@code complete} says whether its end was seen. */
    static RecordedHead parse(byte[] bytes, boolean complete) {
        String raw = new String(bytes, StandardCharsets.ISO_8859_1);
        String[] lines = raw.split("\r?\n", -1);
        String statusLine = lines.length == 0 ? "" : lines[0];
        Matcher m = STATUS_LINE.matcher(statusLine);
        int status = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            fields.add(colon < 0 ? Map.entry("", line)
                    : Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return new RecordedHead(raw, complete, statusLine, status, fields);
    }

    /** The first value of a field, compared without regard to case. */
    Optional<String> first(String name) {
        return fields.stream().filter(f -> f.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    /** The declared {@code Content-Length}, when there is one that is a number. */
    OptionalLong contentLength() {
        Optional<String> value = first("Content-Length");
        if (value.isEmpty() || !value.get().matches("\\d{1,18}")) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(value.get()));
    }

    /** How the body is delimited: chunked wins over a length, as HTTP/1.1 says. */
    Framing framing() {
        if (!complete) {
            return Framing.NONE;
        }
        if (first("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked")).orElse(false)) {
            return Framing.CHUNKED;
        }
        return contentLength().isPresent() ? Framing.CONTENT_LENGTH : Framing.CLOSE_DELIMITED;
    }

    /** The head for the report. */
    Map<String, Object> toReport() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status_line", statusLine);
        out.put("status", status);
        List<Object> headers = new ArrayList<>();
        for (Map.Entry<String, String> f : fields) {
            headers.add(List.of(f.getKey(), f.getValue()));
        }
        out.put("headers", headers);
        out.put("head_complete", complete);
        out.put("framing", framing().reportName());
        contentLength().ifPresent(n -> out.put("content_length", n));
        out.put("raw_head", raw);
        return out;
    }
}
