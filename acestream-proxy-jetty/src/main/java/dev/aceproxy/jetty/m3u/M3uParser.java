package dev.aceproxy.jetty.m3u;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads M3U and extended M3U playlists leniently: it never rejects a playlist for its form.
 *
 * <ul>
 *   <li>A UTF-8 byte-order mark is dropped; bytes that are not UTF-8 become U+FFFD.</li>
 *   <li>Lines end in LF, CRLF or CR; blank lines are skipped.</li>
 *   <li>{@code #EXTM3U} may be missing, or come after blank lines; only the first counts as the
 *       header, a later one is kept as an ordinary directive.</li>
 *   <li>Every line starting with {@code #} belongs to the next url; every other line is a url.</li>
 *   <li>{@code #EXTINF} lines are read by {@link Extinf#parse(String)}, which accepts quoted and
 *       unquoted attributes and quotes, commas and {@code =} inside values.</li>
 * </ul>
 * Duplicate entries stay duplicates: the parser keeps what the source says. Memory is linear in
 * the input; the caller bounds the input's size. Stateless and thread-safe.
 */
public final class M3uParser {

    private static final char BOM = '\uFEFF';

    private M3uParser() {
    }

    /**
     * Parses a playlist from text.
     *
     * @param text the playlist
     * @return the playlist
     */
    public static M3uPlaylist parse(String text) {
        try {
            return parse(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses a playlist from bytes, as UTF-8.
     *
     * @param bytes the playlist's bytes
     * @return the playlist
     * @throws IOException if the stream cannot be read
     */
    public static M3uPlaylist parse(InputStream bytes) throws IOException {
        return parse(new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE)));
    }

    /**
     * Parses a playlist from characters.
     *
     * @param source the playlist; read to its end, not closed
     * @return the playlist
     * @throws IOException if the reader fails
     */
    public static M3uPlaylist parse(Reader source) throws IOException {
        BufferedReader reader = source instanceof BufferedReader b ? b : new BufferedReader(source);
        Optional<String> header = Optional.empty();
        boolean first = true;
        List<M3uEntry> entries = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        String raw;
        while ((raw = reader.readLine()) != null) {
            String line = first && !raw.isEmpty() && raw.charAt(0) == BOM ? raw.substring(1) : raw;
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (first) {
                first = false;
                if (line.regionMatches(true, 0, M3uPlaylist.HEADER, 0, M3uPlaylist.HEADER.length())) {
                    header = Optional.of(line);
                    continue;
                }
            }
            if (line.charAt(0) == '#') {
                pending.add(line);
                continue;
            }
            entries.add(new M3uEntry(pending, line, extinf(pending)));
            pending = new ArrayList<>();
        }
        return new M3uPlaylist(header, entries, pending);
    }

    private static Optional<Extinf> extinf(List<String> lines) {
        for (String line : lines) {
            if (line.regionMatches(true, 0, Extinf.DIRECTIVE, 0, Extinf.DIRECTIVE.length())) {
                return Optional.of(Extinf.parse(line));
            }
        }
        return Optional.empty();
    }
}
