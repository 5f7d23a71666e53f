/**
 * MPEG transport stream as the fan-out needs it: {@link dev.aceproxy.ts.Chunk}s of whole
 * 188-byte packets, the {@link dev.aceproxy.ts.internal.TsPacketizer} that cuts the engine's byte stream
 * into them, and the {@link dev.aceproxy.ts.internal.FastStartIndex} that lets a late joiner start at the
 * latest keyframe with the program tables in front.
 *
 * <p>Field names and constants follow ISO/IEC 13818-1 (systems), ITU-T H.264 and ITU-T H.265.
 */
package dev.aceproxy.ts;
