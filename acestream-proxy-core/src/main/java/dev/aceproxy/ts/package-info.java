/**
 * MPEG transport stream as the proxy hands it around: {@link dev.aceproxy.ts.Chunk}s of whole
 * 188-byte packets, the packet constants and filler of {@link dev.aceproxy.ts.TsPackets}, and
 * {@link dev.aceproxy.ts.FastStartPolicy}, which says how late joiners start.
 *
 * <p><b>Why exported:</b> a {@link dev.aceproxy.fanout.ChunkSink} receives chunks, and an embedder
 * sets the fast-start policy on the registry's builder. The packetiser and the fast-start index
 * are in {@code dev.aceproxy.ts.internal}.
 *
 * <p>Field names and constants follow ISO/IEC 13818-1 (systems), ITU-T H.264 and ITU-T H.265.
 */
package dev.aceproxy.ts;
