/**
 * The per-client queue and writer thread behind {@link dev.aceproxy.fanout.internal.FanOut}.
 * Not exported; may change without notice.
 */
package dev.aceproxy.fanout.internal;
