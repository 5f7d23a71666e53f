/**
 * The fan-out: one upstream stream of {@link dev.aceproxy.ts.Chunk}s to many clients, where no
 * client can slow down or harm another. {@link dev.aceproxy.fanout.internal.FanOut} offers each
 * chunk to a bounded per-client queue that the client's own virtual thread drains into its
 * {@link dev.aceproxy.fanout.ClientSink}; a {@link dev.aceproxy.fanout.PlayerPolicy} says what
 * happens to a client that falls behind or stops reading.
 */
package dev.aceproxy.fanout;
