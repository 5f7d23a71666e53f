/** What HLS costs the reference server per viewer: {@link dev.aceproxy.bench.hls.HlsViewerCost}. */
package dev.aceproxy.bench.hls;
