/** The HLS segmenter, its window of segments and its sessions; not exported. */
package dev.aceproxy.hls.internal;
