/**
 * The readers behind {@link dev.aceproxy.ts.internal.FastStartIndex}: one small reader per concern (packet
 * header, PSI section assembly, program association and program map tables, the video access
 * unit's random-access check) and {@link dev.aceproxy.ts.internal.BitReader}, the one place that
 * reads bit fields. Not exported; may change without notice.
 */
package dev.aceproxy.ts.internal;
