package dev.aceproxy.server.probe;

import dev.aceproxy.jetty.internal.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report being built: sections of plain values (maps, lists, strings, numbers, booleans, null)
 * that are filled in as the probe goes, so that whatever was recorded can be written at any point,
 * a failed probe included. Not thread-safe: the probe's own thread fills it.
 */
final class ProbeReport {

    /** Bumped when a field changes meaning. */
    static final int REPORT_VERSION = 1;

    private final Map<String, Object> root = new LinkedHashMap<>();
    private final Map<String, Object> steps = new LinkedHashMap<>();

    ProbeReport() {
        root.put("report_version", REPORT_VERSION);
    }

    /** A top-level section, created on first use. */
    @SuppressWarnings("unchecked")
    Map<String, Object> section(String name) {
        if (name.equals("steps")) {
            throw new IllegalArgumentException("steps are added with step()");
        }
        return (Map<String, Object>) root.computeIfAbsent(name, n -> new LinkedHashMap<String, Object>());
    }

    /** The record of one step, in the order steps ran. */
    Map<String, Object> step(String name) {
        Map<String, Object> step = new LinkedHashMap<>();
        steps.put(name, step);
        return step;
    }

    /** The report as one JSON document. */
    String toJson() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("report_version", root.get("report_version"));
        all.put("probe", root.get("probe"));
        all.put("steps", steps);
        root.forEach(all::putIfAbsent);
        Object result = all.remove("result");
        if (result != null) {
            all.put("result", result);
        }
        JsonWriter json = new JsonWriter();
        write(json, all);
        return json.toString();
    }

    /** Writes the report to {@code file}, replacing it, through a temporary file beside it. */
    void writeTo(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".partial");
        Files.writeString(temporary, toJson() + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void write(JsonWriter json, Object value) {
        switch (value) {
            case null -> json.nullValue();
            case Map<?, ?> map -> {
                json.beginObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    json.name(String.valueOf(e.getKey()));
                    write(json, e.getValue());
                }
                json.endObject();
            }
            case List<?> list -> {
                json.beginArray();
                for (Object item : list) {
                    write(json, item);
                }
                json.endArray();
            }
            case long[] numbers -> {
                json.beginArray();
                for (long n : numbers) {
                    json.value(n);
                }
                json.endArray();
            }
            case String s -> json.value(s);
            case Boolean b -> json.value(b);
            case Double d -> json.value(d);
            case Number n -> json.value(n.longValue());
            default -> json.value(value.toString());
        }
    }
}
