package dev.aceproxy.jetty.m3u;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a playlist: the directive and comment lines written before its url
 * ({@code #EXTINF}, {@code #EXTVLCOPT}, {@code #EXTGRP}, ...), verbatim and in order, and the url.
 *
 * @param lines the lines before the url, without line endings; copied
 * @param url the entry's url line, without surrounding blanks; not empty
 * @param extinf what the entry's first {@code #EXTINF} line says, if it has one
 */
public record M3uEntry(List<String> lines, String url, Optional<Extinf> extinf) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the url is empty
     */
    public M3uEntry {
        lines = List.copyOf(lines);
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(extinf, "extinf");
        if (url.isEmpty()) {
            throw new IllegalArgumentException("an entry needs a url");
        }
    }

    /**
     * Returns the entry's {@code tvg-id}, when its {@code #EXTINF} carries a non-blank one.
     *
     * @return the id, stripped
     */
    public Optional<String> tvgId() {
        return extinf.flatMap(e -> e.attribute("tvg-id")).map(String::strip).filter(s -> !s.isEmpty());
    }

    /**
     * Returns the entry with another url and the same lines.
     *
     * @param newUrl the url
     * @return the copy
     * @throws IllegalArgumentException if the url is empty
     */
    public M3uEntry withUrl(String newUrl) {
        return new M3uEntry(lines, newUrl, extinf);
    }
}
