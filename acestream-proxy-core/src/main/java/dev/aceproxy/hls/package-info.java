/**
 * HLS made by the proxy from the shared stream: {@link dev.aceproxy.hls.HlsService} cuts each
 * content's stream into segments at keyframes and keeps a sliding window of them for any number
 * of viewers, on the content's one engine session.
 */
package dev.aceproxy.hls;
