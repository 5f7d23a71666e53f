package dev.aceproxy.jetty.m3u;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed playlist: its {@code #EXTM3U} header line as written (with {@code url-tvg},
 * {@code x-tvg-url} and any other attribute), its entries in order, and the lines after the last
 * entry. Writing it back with {@link #text()} gives every line it was read with, but blank lines,
 * with {@code \n} endings and an {@code #EXTM3U} header even when the source had none.
 *
 * @param header the header line, if the source had one
 * @param entries the entries; copied
 * @param trailer the directive lines after the last url; copied
 */
public record M3uPlaylist(Optional<String> header, List<M3uEntry> entries, List<String> trailer) {

    /** The directive that opens an extended M3U playlist. */
    public static final String HEADER = "#EXTM3U";

    /**
     * Copies.
     *
     * @throws NullPointerException if an argument is null
     */
    public M3uPlaylist {
        Objects.requireNonNull(header, "header");
        entries = List.copyOf(entries);
        trailer = List.copyOf(trailer);
    }

    /**
     * Returns the same header and trailer with other entries.
     *
     * @param newEntries the entries
     * @return the copy
     */
    public M3uPlaylist withEntries(List<M3uEntry> newEntries) {
        return new M3uPlaylist(header, newEntries, trailer);
    }

    /**
     * Writes the playlist as text.
     *
     * @return the text, each line ending in {@code \n}
     */
    public String text() {
        StringBuilder out = new StringBuilder(64 + entries.size() * 160);
        out.append(header.orElse(HEADER)).append('\n');
        for (M3uEntry entry : entries) {
            for (String line : entry.lines()) {
                out.append(line).append('\n');
            }
            out.append(entry.url()).append('\n');
        }
        for (String line : trailer) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
