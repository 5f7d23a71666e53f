/**
 * The player side of the fan-out: what a player is to the proxy ({@link dev.aceproxy.fanout.ClientSink},
 * or {@link dev.aceproxy.fanout.ChunkSink} for one that takes the shared chunks themselves), the
 * policy of its queue ({@link dev.aceproxy.fanout.PlayerPolicy}, {@link dev.aceproxy.fanout.OverflowPolicy}),
 * how small engine reads are gathered ({@link dev.aceproxy.fanout.CoalescePolicy}), its figures
 * ({@link dev.aceproxy.fanout.PlayerStats}) and why it ended ({@link dev.aceproxy.fanout.EndReason}).
 *
 * <p><b>Why exported:</b> an adapter (a servlet, a socket server) implements a sink for each
 * player, and an embedder tunes the policies on the registry's builder. The fan-out itself is in
 * {@code dev.aceproxy.fanout.internal}.
 */
package dev.aceproxy.fanout;
