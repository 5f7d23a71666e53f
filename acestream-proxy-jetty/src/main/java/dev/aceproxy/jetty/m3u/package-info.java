/**
 * A lenient reader of M3U playlists as IPTV sources write them: a byte-order mark, CRLF line
 * endings, a missing {@code #EXTM3U}, quoted and unquoted {@code #EXTINF} attributes, quotes,
 * commas and {@code =} inside values. It keeps every line it does not interpret verbatim and in
 * place, so that a playlist can be written back with only its urls changed.
 *
 * <p>It lives in the servlet adapter, next to the playlist endpoint that is its only user, and
 * uses the JDK only: the core library has no business with playlists, and the reference server
 * merely configures the endpoint. Memory is linear in the input, whose size the caller bounds.
 */
package dev.aceproxy.jetty.m3u;
