/**
 * Reading the transport stream: the {@link dev.aceproxy.ts.internal.TsPacketizer} that cuts the
 * engine's bytes into chunks of whole packets, the {@link dev.aceproxy.ts.internal.FastStartIndex}
 * that lets a late joiner start at the latest keyframe with the program tables in front, and the
 * readers behind it: one small reader per concern (packet header, PSI section assembly, program
 * association and program map tables, the video access unit's random-access check) and
 * {@link dev.aceproxy.ts.internal.BitReader}, the one place that reads bit fields. Not exported;
 * may change without notice.
 */
package dev.aceproxy.ts.internal;
