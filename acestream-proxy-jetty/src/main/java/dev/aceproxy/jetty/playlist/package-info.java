/**
 * Named playlists and channels the proxy offers: the operator's playlist sources (files and
 * http(s) urls, loaded at start-up and refreshed on a timer, the last good copy kept), the
 * recognition of AceStream links inside them, and the channels (named lists of alternate
 * contents) that {@code /ace/getstream?channel=} plays. Only the operator names sources: nothing a
 * client sends makes the proxy fetch anything.
 */
package dev.aceproxy.jetty.playlist;
